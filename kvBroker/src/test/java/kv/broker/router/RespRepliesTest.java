package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kv.broker.command.BadCommandException;
import kv.broker.command.Command;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.record.IntValue;
import kv.record.Path;
import kv.record.Record;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;

class RespRepliesTest {
  private static final Record JOHN = new Record("person1",
      SetValue.builder().put("name", new StringValue("John")).put("age", new IntValue(22)).build());

  @Test
  void aFoundSetIsPassedOnAsTheReplicaPrintedIt() {
    Outcome found = new Outcome.Found("a b", "{ \"v\" : [ 1, 2 ] }");
    assertThat(RespReplies.of(new Command.Get("a b"), found)).isEqualTo(Resp.Bulk.of("{ \"v\" : [ 1, 2 ] }"));
  }

  @Test
  void respRepliesAreShapedLikeKvServer() {
    Command get = new Command.Get("person1");
    Command delete = new Command.Delete("person1");
    Command put = new Command.Put(JOHN);
    assertThat(RespReplies.of(get, new Outcome.Found(JOHN)))
        .isEqualTo(Resp.Bulk.of("{ \"name\" : \"John\" ; \"age\" : 22 }"));
    assertThat(RespReplies.of(new Command.Query(new Path("person2", List.of("name"))),
        new Outcome.QueryValue(new Path("person2", List.of("name")), new StringValue("Mary"))))
        .isEqualTo(Resp.Bulk.of("\"Mary\""));
    assertThat(RespReplies.of(get, new Outcome.NotFound("person1"))).isEqualTo(Resp.NullBulk.INSTANCE);
    assertThat(RespReplies.of(delete, new Outcome.NotFound("person1"))).isEqualTo(new Resp.Int(0));
    assertThat(RespReplies.of(delete, new Outcome.Deleted("person1"))).isEqualTo(new Resp.Int(1));
    assertThat(RespReplies.of(put, new Outcome.Written("person1", 2, 2))).isEqualTo(Resp.OK);
    assertThat(RespReplies.of(put, new Outcome.Written("person1", 1, 2))).isEqualTo(Resp.OK);
    assertThat(RespReplies.of(put, new Outcome.Written("person1", 0, 2)))
        .isEqualTo(new Resp.Error("CLUSTERDOWN cannot write 'person1': 0 of 2 replicas acknowledged (all down or not answering)"));
    assertThat(RespReplies.of(get, new Outcome.Unavailable("person1", 2, List.of("h:1", "h:2"))))
        .isEqualTo(new Resp.Error("CLUSTERDOWN 2 or more servers are down (h:1, h:2): cannot guarantee a correct answer for 'person1'"));
    assertThat(RespReplies.of(delete, new Outcome.Refused("person1", List.of("h:1"))))
        .isEqualTo(new Resp.Error("TRYAGAIN cannot delete 'person1' reliably: replica server h:1 is down; nothing was deleted"));
    assertThat(RespReplies.of(put, new Outcome.Failed("invalid record: x")))
        .isEqualTo(new Resp.Error("ERR invalid record: x"));
    assertThat(RespReplies.error(new BadCommandException("unknown command 'FOO' (try: help)")))
        .isEqualTo(new Resp.Error("ERR unknown command 'FOO' (try: help)"));
  }

  @Test
  void keyspaceReplies() {
    Command keys = new Command.Keys(kv.resp.KeyPattern.all());
    assertThat(RespReplies.of(new Command.DbSize(), new Outcome.Count(3))).isEqualTo(new Resp.Int(3));
    assertThat(RespReplies.of(keys, new Outcome.Keys(List.of("person1", "a b"))))
        .isEqualTo(new Resp.Array(List.of(Resp.Bulk.of("person1"), Resp.Bulk.of("a b"))));
    assertThat(RespReplies.of(keys, new Outcome.ScanPage("7", List.of("k"))))
        .isEqualTo(new Resp.Array(List.of(Resp.Bulk.of("7"), new Resp.Array(List.of(Resp.Bulk.of("k"))))));
    assertThat(RespReplies.of(keys, new Outcome.Incomplete("KEYS", new KeyScan.Incomplete(2, List.of("a"), List.of("b")))))
        .isEqualTo(new Resp.Error("CLUSTERDOWN 2 or more servers are down or catching up (a down, b catching up):"
            + " cannot guarantee a complete answer for KEYS: keys whose 2 replicas are all among them could be missing"));
  }
}
