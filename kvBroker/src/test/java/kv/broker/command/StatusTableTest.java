package kv.broker.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import kv.broker.engine.ServerStatus;
import org.junit.jupiter.api.Test;

class StatusTableTest {

  @Test
  void tableHasOneAlignedRowPerServerAndASummary() {
    Instant now = Instant.parse("2024-01-01T12:00:00Z");
    String table = StatusTable.format(List.of(
        new ServerStatus("127.0.0.1:9000", true, now.minusSeconds(12), 3, "0123456789abcdef", false),
        new ServerStatus("127.0.0.1:9001", false, now.minusSeconds(185), -1, null, false, 40),
        new ServerStatus("127.0.0.1:9002", true, now.minusSeconds(7300), 1200, "beef", true, -1)), now);
    assertThat(table).isEqualTo(String.join("\n",
        "ADDRESS         STATE  SINCE  RECORDS  INSTANCE      HINTS   CATCHING UP",
        "127.0.0.1:9000  UP     12s    3        0123456789ab  0       no",
        "127.0.0.1:9001  DOWN   3m05s  -        -             40      no",
        "127.0.0.1:9002  UP     2h01m  1200     beef          resync  yes",
        "3 servers: 2 up, 1 down"));
  }

  @Test
  void agesAreShortAndNeverNegative() {
    assertThat(StatusTable.ago(Duration.ofSeconds(-3))).isEqualTo("0s");
    assertThat(StatusTable.ago(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(StatusTable.ago(Duration.ofSeconds(60))).isEqualTo("1m00s");
    assertThat(StatusTable.ago(Duration.ofHours(49))).isEqualTo("2d01h");
  }
}
