package kv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private static byte[] reply(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void aRequestSeenBeforeGetsItsFirstReplyAgain() {
    Sessions s = new Sessions();
    RequestId id = new RequestId("c1", 5, 0);
    assertThat(s.check(id)).isInstanceOf(Sessions.Fresh.class);
    s.record(id, reply(":1\r\n"));
    assertThat(s.check(id)).isInstanceOfSatisfying(Sessions.Duplicate.class,
        d -> assertThat(d.reply()).isEqualTo(reply(":1\r\n")));
    assertThat(s.check(new RequestId("c2", 5, 0))).isInstanceOf(Sessions.Fresh.class);
    assertThat(s.check(new RequestId("c1", 6, 0))).isInstanceOf(Sessions.Fresh.class);
  }

  @Test
  void theFloorForgetsRepliesAndRefusesRequestsBelowIt() {
    Sessions s = new Sessions();
    for (int seq = 0; seq < 10; seq++) {
      RequestId id = new RequestId("c", seq, 0);
      s.check(id);
      s.record(id, reply("+OK\r\n"));
    }
    assertThat(s.replyCount()).isEqualTo(10);
    assertThat(s.check(new RequestId("c", 10, 7))).isInstanceOf(Sessions.Fresh.class);
    assertThat(s.replyCount()).isEqualTo(3);
    assertThat(s.check(new RequestId("c", 6, 0))).isInstanceOfSatisfying(Sessions.TooOld.class,
        t -> assertThat(t.floor()).isEqualTo(7));
    assertThat(s.check(new RequestId("c", 8, 0))).isInstanceOf(Sessions.Duplicate.class);
    // floors never go down
    s.check(new RequestId("c", 11, 2));
    assertThat(s.check(new RequestId("c", 6, 6))).isInstanceOf(Sessions.TooOld.class);
  }

  @Test
  void theLeastRecentlyUsedClientIsForgottenPastTheLimit() {
    Sessions s = new Sessions();
    for (int c = 0; c <= Sessions.MAX_CLIENTS; c++) {
      RequestId id = new RequestId("c" + c, 1, 0);
      s.check(id);
      s.record(id, reply("+OK\r\n"));
      if (c == 0) {
        s.check(id); // used again: c0 is now the most recent
      }
      if (c == 1) {
        s.check(new RequestId("c0", 1, 0));
      }
    }
    assertThat(s.clientCount()).isEqualTo(Sessions.MAX_CLIENTS);
    assertThat(s.check(new RequestId("c0", 1, 0))).isInstanceOf(Sessions.Duplicate.class);
    assertThat(s.check(new RequestId("c1", 1, 0))).isInstanceOf(Sessions.Fresh.class);
  }

  @Test
  void aSnapshotRestoresTheSameTableInTheSameOrder() throws Exception {
    Sessions s = new Sessions();
    for (String c : new String[] {"b", "a", "c"}) {
      for (int seq = 3; seq < 6; seq++) {
        RequestId id = new RequestId(c, seq, 3);
        s.check(id);
        s.record(id, reply(":" + seq + "\r\n"));
      }
    }
    s.check(new RequestId("b", 9, 4));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    s.writeTo(new DataOutputStream(bytes));
    Sessions t = new Sessions();
    t.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(t.clientCount()).isEqualTo(3);
    assertThat(t.replyCount()).isEqualTo(s.replyCount());
    java.util.List<String> order = new java.util.ArrayList<>();
    t.clientsInOrder().forEachRemaining(order::add);
    assertThat(order).containsExactly("a", "c", "b");
    assertThat(t.check(new RequestId("a", 4, 0))).isInstanceOfSatisfying(Sessions.Duplicate.class,
        d -> assertThat(d.reply()).isEqualTo(reply(":4\r\n")));
    assertThat(t.check(new RequestId("b", 3, 0))).isInstanceOf(Sessions.TooOld.class);
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    s.check(new RequestId("a", 4, 0));
    s.check(new RequestId("b", 3, 0));
    s.writeTo(new DataOutputStream(again));
    ByteArrayOutputStream fromCopy = new ByteArrayOutputStream();
    t.writeTo(new DataOutputStream(fromCopy));
    assertThat(fromCopy.toByteArray()).isEqualTo(again.toByteArray());
  }
}
