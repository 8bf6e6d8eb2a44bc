package kv.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InfoReplyTest {

  @Test
  void readsInstanceIdAndRecords() {
    String info = "# Server\r\nkv_version:0.1.0\r\ninstance_id:3f2a\r\nuptime_in_seconds:5\r\n\r\n# Keyspace\r\nrecords:42\r\ntombstones:1\r\n";
    assertThat(InfoReply.parse(info)).isEqualTo(new InfoReply("3f2a", 42));
  }

  @Test
  void missingFieldsAreNullAndMinusOne() {
    assertThat(InfoReply.parse("# Server\nfoo:bar\n")).isEqualTo(new InfoReply(null, -1));
    assertThat(InfoReply.parse("records:many\n")).isEqualTo(new InfoReply(null, -1));
  }
}
