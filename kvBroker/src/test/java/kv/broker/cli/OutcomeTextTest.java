package kv.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kv.broker.command.BadCommandException;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.record.IntValue;
import kv.record.Path;
import kv.record.Record;
import kv.record.SetValue;
import kv.record.StringValue;
import org.junit.jupiter.api.Test;

class OutcomeTextTest {
  private static final Record JOHN = new Record("person1",
      SetValue.builder().put("name", new StringValue("John")).put("age", new IntValue(22)).build());

  @Test
  void transcriptLines() {
    assertThat(OutcomeText.of(new Outcome.Found(JOHN)))
        .isEqualTo("person1 : { \"name\" : \"John\" ; \"age\" : 22 }");
    assertThat(OutcomeText.of(new Outcome.QueryValue(
        new Path("person2", List.of("address", "number")), new IntValue(12))))
        .isEqualTo("person2.address.number : 12");
    assertThat(OutcomeText.of(new Outcome.QueryValue(
        new Path("person2", List.of("name")), new StringValue("Mary"))))
        .isEqualTo("person2.name : \"Mary\"");
    assertThat(OutcomeText.of(new Outcome.NotFound("name"))).isEqualTo("NOT FOUND");
    assertThat(OutcomeText.of(new Outcome.Written("person9", 2, 2))).isEqualTo("OK");
    assertThat(OutcomeText.of(new Outcome.Deleted("person1"))).isEqualTo("OK");
    assertThat(OutcomeText.of(new BadCommandException("unknown command 'FOO' (try: help)")))
        .isEqualTo("ERROR: unknown command 'FOO' (try: help)");
  }

  @Test
  void failureLines() {
    assertThat(OutcomeText.of(new Outcome.Written("person9", 1, 2)))
        .isEqualTo("OK (1 of 2 replicas acknowledged)");
    assertThat(OutcomeText.of(new Outcome.Written("person9", 0, 2)))
        .isEqualTo("ERROR: cannot write 'person9': 0 of 2 replicas acknowledged (all down or not answering)");
    assertThat(OutcomeText.of(new Outcome.Unavailable("person7", 2, List.of("127.0.0.1:9001", "127.0.0.1:9002"))))
        .isEqualTo("WARNING: 2 or more servers are down (127.0.0.1:9001, 127.0.0.1:9002):"
            + " cannot guarantee a correct answer for 'person7'");
    assertThat(OutcomeText.of(new Outcome.Refused("person1", List.of("127.0.0.1:9001"))))
        .isEqualTo("ERROR: cannot delete 'person1' reliably: replica server 127.0.0.1:9001 is down; nothing was deleted");
    assertThat(OutcomeText.of(new Outcome.Refused("a b", List.of("h:1", "h:2"))))
        .isEqualTo("ERROR: cannot delete \"a b\" reliably: replica servers h:1, h:2 are down; nothing was deleted");
    assertThat(OutcomeText.of(new Outcome.Failed("invalid record: x"))).isEqualTo("ERROR: invalid record: x");
  }

  @Test
  void onlyErrorsAndWarningsAreFailures() {
    assertThat(OutcomeText.failed(new Outcome.Found(JOHN))).isFalse();
    assertThat(OutcomeText.failed(new Outcome.NotFound("x"))).isFalse();
    assertThat(OutcomeText.failed(new Outcome.Deleted("x"))).isFalse();
    assertThat(OutcomeText.failed(new Outcome.Written("x", 1, 2))).isFalse();
    assertThat(OutcomeText.failed(new Outcome.Written("x", 0, 2))).isTrue();
    assertThat(OutcomeText.failed(new Outcome.Unavailable("x", 2, List.of()))).isTrue();
    assertThat(OutcomeText.failed(new Outcome.Refused("x", List.of()))).isTrue();
    assertThat(OutcomeText.failed(new Outcome.Failed("x"))).isTrue();
  }

  @Test
  void aFoundSetIsPassedOnAsTheReplicaPrintedIt() {
    Outcome found = new Outcome.Found("a b", "{ \"v\" : [ 1, 2 ] }");
    assertThat(OutcomeText.of(found)).isEqualTo("\"a b\" : { \"v\" : [ 1, 2 ] }");
    assertThat(new Outcome.Found(JOHN)).isEqualTo(new Outcome.Found("person1", "{ \"name\" : \"John\" ; \"age\" : 22 }"));
  }

  @Test
  void keyspaceOutcomesAtThePrompt() {
    assertThat(OutcomeText.of(new Outcome.Count(3))).isEqualTo("3");
    assertThat(OutcomeText.of(new Outcome.Keys(List.of("person1", "a b")))).isEqualTo("person1\n\"a b\"");
    assertThat(OutcomeText.of(new Outcome.Keys(List.of()))).isEqualTo("(no keys)");
    Outcome incomplete = new Outcome.Incomplete("KEYS", new KeyScan.Incomplete(2, List.of("a", "b"), List.of()));
    assertThat(OutcomeText.of(incomplete)).isEqualTo("WARNING: 2 or more servers are down (a, b): cannot guarantee a"
        + " complete answer for KEYS: keys whose 2 replicas are all among them could be missing");
    assertThat(OutcomeText.failed(incomplete)).isTrue();
    assertThat(OutcomeText.of(new Outcome.Failed("KEYS failed: no page of keys within 3000 ms")))
        .isEqualTo("ERROR: KEYS failed: no page of keys within 3000 ms");
  }
}
