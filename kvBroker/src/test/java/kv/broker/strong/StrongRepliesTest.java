package kv.broker.strong;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletionException;
import kv.broker.engine.KeyScan;
import kv.broker.engine.Outcome;
import kv.record.IntValue;
import kv.record.ListValue;
import kv.record.Path;
import kv.record.RecordParser;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;

/**
 * Replies of a Raft group and failures to get one, as Outcomes (NOQUORUM, UNKNOWN and TRYAGAIN with
 * real servers: StrongEngineTest).
 */
class StrongRepliesTest {
  private static final RecordParser PARSER = new RecordParser();

  @Test
  void repliesBecomeTheirOutcomes() throws Exception {
    assertThat(StrongReplies.get("p1", Resp.Bulk.of("{ \"a\" : 1 }"))).isEqualTo(new Outcome.Found("p1", "{ \"a\" : 1 }"));
    assertThat(StrongReplies.get("p1", Resp.NullBulk.INSTANCE)).isEqualTo(new Outcome.NotFound("p1"));
    Path path = Path.parse("p1.a");
    assertThat(StrongReplies.query(path, Resp.Bulk.of("[ 1 ; 2 ]"), PARSER))
        .isEqualTo(new Outcome.QueryValue(path, new ListValue(List.of(new IntValue(1), new IntValue(2)))));
    assertThat(StrongReplies.query(path, Resp.NullBulk.INSTANCE, PARSER)).isEqualTo(new Outcome.NotFound("p1"));
    assertThat(StrongReplies.put("p1", Resp.OK)).isEqualTo(new Outcome.Written("p1", 1, 1));
    assertThat(StrongReplies.delete("p1", new Resp.Int(1))).isEqualTo(new Outcome.Deleted("p1"));
    assertThat(StrongReplies.delete("p1", new Resp.Int(0))).isEqualTo(new Outcome.NotFound("p1"));
  }

  @Test
  void aCommandsErrorReplyIsFailedWithItsWords() {
    assertThat(StrongReplies.put("p1", new Resp.Error("ERR invalid record: line 1")))
        .isEqualTo(new Outcome.Failed("invalid record: line 1"));
    assertThat(StrongReplies.get("p1", new Resp.Error("WRONGTYPE not a set")))
        .isEqualTo(new Outcome.Failed("WRONGTYPE not a set"));
    assertThat(StrongReplies.get("p1", new Resp.Int(3))).isInstanceOf(Outcome.Failed.class);
  }

  @Test
  void anotherFailureIsFailedWithItsMessage() {
    assertThat(StrongReplies.failure(new CompletionException(new IllegalStateException("boom"))))
        .isEqualTo(new Outcome.Failed("boom"));
    assertThat(StrongReplies.failedPage(new IllegalStateException("boom"))).isEqualTo(new KeyScan.Failed("boom"));
  }
}
