package kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanArgsTest {
  private static final ScanArgs.Spec SCAN = new ScanArgs.Spec("SCAN", "SCAN cursor [MATCH prefix*] [COUNT n]", true, 10);
  private static final ScanArgs.Spec VKEYS = new ScanArgs.Spec("VKEYS", "VKEYS cursor [COUNT n]", false, 1000);

  private static Request request(String... words) {
    List<byte[]> args = new ArrayList<>();
    for (String w : words) {
      args.add(w.getBytes(StandardCharsets.UTF_8));
    }
    return new Request(args, null);
  }

  private static ScanArgs parse(ScanArgs.Spec spec, String... words) {
    return ScanArgs.parse(request(words), 2, spec);
  }

  @Test
  void defaultsWithoutOptions() {
    assertThat(parse(SCAN, "SCAN", "0")).isEqualTo(new ScanArgs(KeyPattern.all(), 10));
    assertThat(parse(VKEYS, "VKEYS", "0")).isEqualTo(new ScanArgs(KeyPattern.all(), 1000));
  }

  @Test
  void optionsInAnyOrderAnyCaseTheLastWins() {
    assertThat(parse(SCAN, "SCAN", "0", "count", "5", "MATCH", "p*"))
        .isEqualTo(new ScanArgs(new KeyPattern("p", false), 5));
    assertThat(parse(SCAN, "SCAN", "0", "MATCH", "a*", "match", "person1", "COUNT", "3", "COUNT", "7"))
        .isEqualTo(new ScanArgs(new KeyPattern("person1", true), 7));
  }

  @Test
  void countIsAHintFromOneUpAboveTheMaximumTheMaximum() {
    assertThat(parse(SCAN, "SCAN", "0", "COUNT", "1").count()).isEqualTo(1);
    assertThat(parse(SCAN, "SCAN", "0", "COUNT", "10000").count()).isEqualTo(ScanArgs.MAX_COUNT);
    assertThat(parse(SCAN, "SCAN", "0", "COUNT", "10001").count()).isEqualTo(ScanArgs.MAX_COUNT);
    assertThat(parse(VKEYS, "VKEYS", "0", "COUNT", "99999999999").count()).isEqualTo(ScanArgs.MAX_COUNT);
    for (String bad : new String[] {"0", "-1", "x", "1.5", "", "99999999999999999999"}) {
      assertThatThrownBy(() -> parse(SCAN, "SCAN", "0", "COUNT", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("COUNT: '" + bad + "' (expected: an integer >= 1)");
    }
  }

  @Test
  void unknownOptionsAndMatchWhereNotTakenNameTheUsage() {
    assertThatThrownBy(() -> parse(SCAN, "SCAN", "0", "TYPE", "string"))
        .hasMessage("SCAN option: 'TYPE' is not supported (expected: SCAN cursor [MATCH prefix*] [COUNT n])");
    assertThatThrownBy(() -> parse(VKEYS, "VKEYS", "0", "MATCH", "p*"))
        .hasMessage("VKEYS option: 'MATCH' is not supported (expected: VKEYS cursor [COUNT n])");
    assertThatThrownBy(() -> parse(SCAN, "SCAN", "0", "MATCH", "p?x")).hasMessageContaining("pattern: 'p?x' is not supported");
    assertThatThrownBy(() -> parse(SCAN, "SCAN", "0", "COUNT")).hasMessageContaining("option and value pairs");
  }

  @Test
  void clientTextInMessagesIsOneShortLine() {
    String longOption = "x".repeat(100) + "\r\n-ERR injected";
    assertThatThrownBy(() -> parse(SCAN, "SCAN", "0", longOption, "1"))
        .hasMessageStartingWith("SCAN option: '" + "x".repeat(40) + "...' is not supported")
        .hasMessageNotContaining("\r").hasMessageNotContaining("\n");
    assertThatThrownBy(() -> parse(SCAN, "SCAN", "0", "COUNT", "1\r\n2")).hasMessage("COUNT: '1  2' (expected: an integer >= 1)");
  }
}
