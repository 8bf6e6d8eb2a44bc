package kv.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kv.clock.VersionOrder;
import kv.resp.ReplicaCommand;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;

class VersionedTest {
  private static Versioned answer(long version, String text) throws Versioned.MalformedReply {
    Resp value = text == null ? Resp.NullBulk.INSTANCE : Resp.Bulk.of(text);
    return Versioned.parse(ReplicaCommand.VGET, new Resp.Array(List.of(new Resp.Int(version), value)));
  }

  @Test
  void theHigherVersionWinsWhateverTheTexts() throws Exception {
    assertThat(answer(5, "{ \"a\" : 1 }").newerThan(answer(4, "{ \"z\" : 9 }"))).isTrue();
    assertThat(answer(4, "{ \"z\" : 9 }").newerThan(answer(5, "{ \"a\" : 1 }"))).isFalse();
    assertThat(answer(5, null).newerThan(answer(4, "{ \"a\" : 1 }"))).isTrue();
    assertThat(answer(4, null).newerThan(null)).isTrue();
  }

  @Test
  void twoAnswersWithTheSameVersionAndBytesAreOneWrite() throws Exception {
    Versioned a = answer(7, "{ \"a\" : 1 }");
    Versioned b = answer(7, "{ \"a\" : 1 }");
    assertThat(a.newerThan(b)).isFalse();
    assertThat(b.newerThan(a)).isFalse();
    assertThat(a.newerThan(a)).isFalse();
    assertThat(answer(7, null).newerThan(answer(7, null))).isFalse();
  }

  @Test
  void aTieIsSettledAsVersionOrderSettlesIt() throws Exception {
    // A tombstone beats a value; between values the greater text in String order, which for
    // these two differs from the order of their UTF-8 bytes (U+FF00 against a surrogate pair).
    List<String> texts = List.of("{ \"a\" : 1 }", "{ \"a\" : 2 }", "{ \"a\" : \"\uFF00\" }",
        "{ \"a\" : \"\uD83D\uDE00\" }", "{ \"b\" : 1 }");
    for (String x : texts) {
      for (String y : texts) {
        assertThat(answer(3, x).newerThan(answer(3, y)))
            .as("%s over %s", x, y).isEqualTo(VersionOrder.compareTie(x, y) > 0);
      }
      assertThat(answer(3, null).newerThan(answer(3, x))).isTrue();
      assertThat(answer(3, x).newerThan(answer(3, null))).isFalse();
    }
  }

  @Test
  void theTextIsTheRepliedBytesDecodedAndATombstoneHasNone() throws Exception {
    Versioned v = answer(1, "{ \"name\" : \"Ζωή\" }");
    assertThat(v.text()).isEqualTo("{ \"name\" : \"Ζωή\" }").isSameAs(v.text());
    assertThat(v.isTombstone()).isFalse();
    assertThat(answer(1, null).isTombstone()).isTrue();
    assertThat(answer(1, null).text()).isNull();
    assertThat(Versioned.parse(ReplicaCommand.VGET, Resp.NullBulk.INSTANCE)).isNull();
  }
}
