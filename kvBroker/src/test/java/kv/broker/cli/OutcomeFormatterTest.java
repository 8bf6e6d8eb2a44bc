package kv.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kv.broker.command.BadCommandException;
import kv.broker.command.Command;
import kv.broker.engine.Outcome;
import kv.record.IntValue;
import kv.record.Path;
import kv.record.Record;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;


class OutcomeFormatterTest {
  private static final Record JOHN = new Record("person1",
      SetValue.builder().put("name", new StringValue("John")).put("age", new IntValue(22)).build());

  @Test
  void transcriptLines() {
    assertThat(OutcomeFormatter.text(new Outcome.Found(JOHN)))
        .isEqualTo("person1 : { \"name\" : \"John\" ; \"age\" : 22 }");
    assertThat(OutcomeFormatter.text(new Outcome.QueryValue(
        new Path("person2", List.of("address", "number")), new IntValue(12))))
        .isEqualTo("person2.address.number : 12");
    assertThat(OutcomeFormatter.text(new Outcome.QueryValue(
        new Path("person2", List.of("name")), new StringValue("Mary"))))
        .isEqualTo("person2.name : \"Mary\"");
    assertThat(OutcomeFormatter.text(new Outcome.NotFound("name"))).isEqualTo("NOT FOUND");
    assertThat(OutcomeFormatter.text(new Outcome.Written("person9", 2, 2))).isEqualTo("OK");
    assertThat(OutcomeFormatter.text(new Outcome.Deleted("person1"))).isEqualTo("OK");
    assertThat(OutcomeFormatter.text(new BadCommandException("unknown command 'FOO' (try: help)")))
        .isEqualTo("ERROR: unknown command 'FOO' (try: help)");
  }

  @Test
  void failureLines() {
    assertThat(OutcomeFormatter.text(new Outcome.Written("person9", 1, 2)))
        .isEqualTo("OK (1 of 2 replicas acknowledged)");
    assertThat(OutcomeFormatter.text(new Outcome.Written("person9", 0, 2)))
        .isEqualTo("ERROR: cannot write 'person9': 0 of 2 replicas acknowledged (all down or not answering)");
    assertThat(OutcomeFormatter.text(new Outcome.Unavailable("person7", 2, List.of("127.0.0.1:9001", "127.0.0.1:9002"))))
        .isEqualTo("WARNING: 2 or more servers are down (127.0.0.1:9001, 127.0.0.1:9002):"
            + " cannot guarantee a correct answer for 'person7'");
    assertThat(OutcomeFormatter.text(new Outcome.Refused("person1", List.of("127.0.0.1:9001"))))
        .isEqualTo("ERROR: cannot delete 'person1' reliably: replica server 127.0.0.1:9001 is down; nothing was deleted");
    assertThat(OutcomeFormatter.text(new Outcome.Refused("a b", List.of("h:1", "h:2"))))
        .isEqualTo("ERROR: cannot delete \"a b\" reliably: replica servers h:1, h:2 are down; nothing was deleted");
    assertThat(OutcomeFormatter.text(new Outcome.Failed("invalid record: x"))).isEqualTo("ERROR: invalid record: x");
  }

  @Test
  void onlyErrorsAndWarningsAreFailures() {
    assertThat(OutcomeFormatter.failed(new Outcome.Found(JOHN))).isFalse();
    assertThat(OutcomeFormatter.failed(new Outcome.NotFound("x"))).isFalse();
    assertThat(OutcomeFormatter.failed(new Outcome.Deleted("x"))).isFalse();
    assertThat(OutcomeFormatter.failed(new Outcome.Written("x", 1, 2))).isFalse();
    assertThat(OutcomeFormatter.failed(new Outcome.Written("x", 0, 2))).isTrue();
    assertThat(OutcomeFormatter.failed(new Outcome.Unavailable("x", 2, List.of()))).isTrue();
    assertThat(OutcomeFormatter.failed(new Outcome.Refused("x", List.of()))).isTrue();
    assertThat(OutcomeFormatter.failed(new Outcome.Failed("x"))).isTrue();
  }

  @Test
  void aFoundSetIsPassedOnAsTheReplicaPrintedIt() {
    Outcome found = new Outcome.Found("a b", "{ \"v\" : [ 1, 2 ] }");
    assertThat(OutcomeFormatter.text(found)).isEqualTo("\"a b\" : { \"v\" : [ 1, 2 ] }");
    assertThat(OutcomeFormatter.resp(new Command.Get("a b"), found)).isEqualTo(Resp.Bulk.of("{ \"v\" : [ 1, 2 ] }"));
    assertThat(new Outcome.Found(JOHN)).isEqualTo(new Outcome.Found("person1", "{ \"name\" : \"John\" ; \"age\" : 22 }"));
  }

  @Test
  void respRepliesAreShapedLikeKvServer() {
    Command get = new Command.Get("person1");
    Command delete = new Command.Delete("person1");
    Command put = new Command.Put(JOHN);
    assertThat(OutcomeFormatter.resp(get, new Outcome.Found(JOHN)))
        .isEqualTo(Resp.Bulk.of("{ \"name\" : \"John\" ; \"age\" : 22 }"));
    assertThat(OutcomeFormatter.resp(new Command.Query(new Path("person2", List.of("name"))),
        new Outcome.QueryValue(new Path("person2", List.of("name")), new StringValue("Mary"))))
        .isEqualTo(Resp.Bulk.of("\"Mary\""));
    assertThat(OutcomeFormatter.resp(get, new Outcome.NotFound("person1"))).isEqualTo(Resp.NullBulk.INSTANCE);
    assertThat(OutcomeFormatter.resp(delete, new Outcome.NotFound("person1"))).isEqualTo(new Resp.Int(0));
    assertThat(OutcomeFormatter.resp(delete, new Outcome.Deleted("person1"))).isEqualTo(new Resp.Int(1));
    assertThat(OutcomeFormatter.resp(put, new Outcome.Written("person1", 2, 2))).isEqualTo(Resp.OK);
    assertThat(OutcomeFormatter.resp(put, new Outcome.Written("person1", 1, 2))).isEqualTo(Resp.OK);
    assertThat(OutcomeFormatter.resp(put, new Outcome.Written("person1", 0, 2)))
        .isEqualTo(new Resp.Error("CLUSTERDOWN cannot write 'person1': 0 of 2 replicas acknowledged (all down or not answering)"));
    assertThat(OutcomeFormatter.resp(get, new Outcome.Unavailable("person1", 2, List.of("h:1", "h:2"))))
        .isEqualTo(new Resp.Error("CLUSTERDOWN 2 or more servers are down (h:1, h:2): cannot guarantee a correct answer for 'person1'"));
    assertThat(OutcomeFormatter.resp(delete, new Outcome.Refused("person1", List.of("h:1"))))
        .isEqualTo(new Resp.Error("TRYAGAIN cannot delete 'person1' reliably: replica server h:1 is down; nothing was deleted"));
    assertThat(OutcomeFormatter.resp(put, new Outcome.Failed("invalid record: x")))
        .isEqualTo(new Resp.Error("ERR invalid record: x"));
    assertThat(OutcomeFormatter.resp(new BadCommandException("unknown command 'FOO' (try: help)")))
        .isEqualTo(new Resp.Error("ERR unknown command 'FOO' (try: help)"));
  }

  @Test
  void keyspaceRepliesAtThePrompt() {
    assertThat(OutcomeFormatter.text(new Resp.Int(3))).isEqualTo("3");
    assertThat(OutcomeFormatter.text(new Resp.Array(List.of(Resp.Bulk.of("person1"), Resp.Bulk.of("a b")))))
        .isEqualTo("person1\n\"a b\"");
    assertThat(OutcomeFormatter.text(new Resp.Array(List.of()))).isEqualTo("(no keys)");
    assertThat(OutcomeFormatter.text(new Resp.Error("CLUSTERDOWN 2 or more servers are down (a, b): x")))
        .isEqualTo("WARNING: 2 or more servers are down (a, b): x");
    assertThat(OutcomeFormatter.text(new Resp.Error("ERR KEYS failed: no page of keys within 3000 ms")))
        .isEqualTo("ERROR: KEYS failed: no page of keys within 3000 ms");
  }
}
