package kv.broker.transport;

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
}
