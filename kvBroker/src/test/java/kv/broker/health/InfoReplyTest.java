package kv.broker.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InfoReplyTest {

  @Test
  void readsInstanceIdAndRecords() {
    String info = "# Server\r\nkv_version:0.1.0\r\ninstance_id:3f2a\r\nuptime_in_seconds:5\r\n\r\n# Keyspace\r\nrecords:42\r\ntombstones:1\r\n";
    assertThat(InfoReply.parse(info)).isEqualTo(new InfoReply("3f2a", 42, 1, false, 0));
    assertThat(InfoReply.parse(info).keptItsData()).as("in memory").isFalse();
  }

  @Test
  void aPersistentServerWithDataAndAnIntactLogKeptItsData() {
    String info = "instance_id:a\r\npersistence:on\r\nreplay_dropped_bytes:0\r\nrecords:0\r\ntombstones:3\r\n";
    assertThat(InfoReply.parse(info).keptItsData()).isTrue();
    assertThat(InfoReply.parse(info.replace("tombstones:3", "tombstones:0")).keptItsData()).as("empty").isFalse();
    assertThat(InfoReply.parse(info.replace("dropped_bytes:0", "dropped_bytes:12")).keptItsData()).as("torn log").isFalse();
  }

  @Test
  void missingFieldsAreNullAndMinusOne() {
    assertThat(InfoReply.parse("# Server\nfoo:bar\n")).isEqualTo(new InfoReply(null, -1, -1, false, 0));
    assertThat(InfoReply.parse("records:many\n")).isEqualTo(new InfoReply(null, -1, -1, false, 0));
  }

  @Test
  void readsTheCaughtUpMarkTheLogAndTheHintsHeldForOthers() {
    String info = "instance_id:a\r\n# Persistence\r\npersistence:on\r\nlog_writable:0\r\nlog_error:No space left\r\n"
        + "# Replication\r\ncaught_up:0\r\nhints:4\r\nhinted_servers:10.0.0.2:9002=3,[::1]:9003=1\r\n";
    InfoReply reply = InfoReply.parse(info);
    assertThat(reply.caughtUp()).isFalse();
    assertThat(reply.logWritable()).isFalse();
    assertThat(reply.logError()).isEqualTo("No space left");
    assertThat(reply.hintedServers()).containsExactly(java.util.Map.entry("10.0.0.2:9002", 3L),
        java.util.Map.entry("[::1]:9003", 1L));
    InfoReply older = InfoReply.parse("instance_id:a\r\nrecords:1\r\n"); // a kvServer without these fields
    assertThat(older.caughtUp()).isTrue();
    assertThat(older.logWritable()).isTrue();
    assertThat(older.hintedServers()).isEmpty();
    assertThat(InfoReply.parse("hinted_servers:\r\n").hintedServers()).isEmpty();
  }
}
