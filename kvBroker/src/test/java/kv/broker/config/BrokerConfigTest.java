package kv.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import kv.cluster.ServerAddress;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {
  private static final List<ServerAddress> THREE = List.of(
      new ServerAddress("127.0.0.1", 9001), new ServerAddress("127.0.0.1", 9002), new ServerAddress("127.0.0.1", 9003));

  @Test
  void kMustBeOneToTheNumberOfServers() {
    assertThatThrownBy(() -> BrokerConfig.of(THREE, "serverFile.txt", 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-k: 4 (expected: 1..3, the number of servers in serverFile.txt)");
    assertThatThrownBy(() -> BrokerConfig.of(THREE, "serverFile.txt", 0))
        .hasMessage("-k: 0 (expected: 1..3, the number of servers in serverFile.txt)");
    assertThat(BrokerConfig.of(THREE, "serverFile.txt", 3).k()).isEqualTo(3);
    assertThat(BrokerConfig.of(THREE, "serverFile.txt", 1).k()).isEqualTo(1);
  }

  @Test
  void defaultsAndChangedCopies() {
    BrokerConfig config = BrokerConfig.of(THREE, "s", 2);
    assertThat(config.nodeId()).isBetween(0, 255);
    assertThat(config.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
    BrokerConfig changed = config.with(c -> {
      c.nodeId = 7;
      c.timeout = Duration.ofSeconds(3);
      c.maxInFlight = 10;
      c.minBackoff = Duration.ofMillis(50);
      c.maxBackoff = Duration.ofSeconds(1);
      c.heartbeatInterval = Duration.ofMillis(100);
      c.infoInterval = Duration.ofSeconds(1);
    });
    assertThat(changed).isEqualTo(new BrokerConfig(THREE, "s", 2, 7, Duration.ofSeconds(3), Duration.ofMillis(100),
        Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(1), 10, BrokerConfig.DEFAULT_TOMBSTONE_GRACE, null, null));
    assertThat(config.with(c -> c.tombstoneGrace = Duration.ZERO).tombstoneGrace()).isZero();
    assertThat(config.with(c -> { })).isEqualTo(config);
  }

  @Test
  void rejectsBadValuesNamingThem() {
    BrokerConfig config = BrokerConfig.of(THREE, "s", 2);
    assertThatThrownBy(() -> config.with(c -> c.nodeId = 256)).hasMessage("node id: 256 (expected: 0..255)");
    assertThatThrownBy(() -> config.with(c -> c.timeout = Duration.ZERO)).hasMessage("timeout: 0 ms (expected: > 0)");
    assertThatThrownBy(() -> config.with(c -> {
      c.minBackoff = Duration.ofSeconds(2);
      c.maxBackoff = Duration.ofSeconds(1);
    })).hasMessage("maximum backoff: 1000 ms (expected: >= the minimum backoff, 2000 ms)");
    assertThatThrownBy(() -> config.with(c -> c.maxInFlight = 0)).hasMessage("max in flight: 0 (expected: >= 1)");
    assertThatThrownBy(() -> config.with(c -> c.tombstoneGrace = Duration.ofMillis(-1)))
        .hasMessage("tombstone grace: -1 ms (expected: >= 0, 0 for off)");
    assertThatThrownBy(() -> BrokerConfig.of(List.of(THREE.get(0), THREE.get(0)), "s", 1))
        .hasMessageContaining("expected: each server once");
  }
}
