package kv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;

class EntryCodecTest {
  static List<byte[]> args(String... words) {
    return StrongClient.args(words);
  }

  static List<String> texts(List<byte[]> args) {
    List<String> out = new ArrayList<>();
    for (byte[] a : args) {
      out.add(new String(a, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static final List<EntryCodec.Op> OPS = List.of(
      new EntryCodec.Op(args("PUT", "person1", "{ \"name\" : \"John\" }"), null),
      new EntryCodec.Op(args("DELETE", "k\r\n\u0000 ü"), new RequestId("c0123", 17, 12)),
      new EntryCodec.Op(List.of(new byte[] {'G', 'E', 'T'}, new byte[] {(byte) 0xff, 0, 13, 10}), null));

  private static void assertSameOps(List<EntryCodec.Op> decoded) {
    assertThat(decoded).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(decoded.get(i).args()).usingElementComparator(java.util.Arrays::compare)
          .containsExactlyElementsOf(OPS.get(i).args());
      assertThat(decoded.get(i).id()).isEqualTo(OPS.get(i).id());
    }
  }

  @Test
  void anEntryIsRespRequestsWithOnceWrappers() throws Exception {
    byte[] entry = EntryCodec.encode(OPS);
    String text = new String(entry, StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("*3\r\n$3\r\nPUT\r\n$7\r\nperson1\r\n")
        .contains("*6\r\n$4\r\nONCE\r\n$5\r\nc0123\r\n$2\r\n17\r\n$2\r\n12\r\n$6\r\nDELETE\r\n");
    assertSameOps(EntryCodec.decode(ByteBuffer.wrap(entry)));
  }

  @Test
  void decodesFedOneByteAtATimeAndSplitAnywhere() throws Exception {
    byte[] entry = EntryCodec.encode(OPS);
    EntryCodec.Decoder d = new EntryCodec.Decoder();
    for (byte b : entry) {
      d.feed(ByteBuffer.wrap(new byte[] {b}));
    }
    assertSameOps(d.finish());
    for (int split = 1; split < entry.length; split++) {
      EntryCodec.Decoder e = new EntryCodec.Decoder();
      e.feed(ByteBuffer.wrap(entry, 0, split));
      e.feed(ByteBuffer.wrap(entry, split, entry.length - split));
      assertSameOps(e.finish());
    }
  }

  @Test
  void repliesRoundTripInOrder() throws Exception {
    List<Resp> replies = List.of(Resp.OK, new Resp.Int(1), Resp.NullBulk.INSTANCE, new Resp.Error("ERR bad"),
        new Resp.Array(List.of(Resp.Bulk.of("0"), new Resp.Array(List.of()))));
    byte[] bytes = EntryCodec.encodeReplies(replies);
    assertThat(EntryCodec.decodeReplies(ByteBuffer.wrap(bytes), 5)).isEqualTo(replies);
    assertThatThrownBy(() -> EntryCodec.decodeReplies(ByteBuffer.wrap(bytes), 6))
        .isInstanceOf(MalformedEntryException.class).hasMessage("reply: 5 replies (expected: 6)");
    assertThatThrownBy(() -> EntryCodec.decodeReplies(ByteBuffer.wrap(bytes, 0, bytes.length - 1), 5))
        .hasMessage("reply: cut short after 4 of 5 replies");
  }

  @Test
  void malformedEntriesSayWhatIsWrong() {
    assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap("*1\r\n$3\r\nGE".getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(MalformedEntryException.class).hasMessage("request 1: cut short");
    assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap(new byte[0])))
        .hasMessage("entry: no requests (expected: at least one)");
    assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap("GET k\r\n".getBytes(StandardCharsets.US_ASCII))))
        .hasMessage("request 1: an inline line (expected: an array of bulk strings)");
    assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap(EntryCodec.encode(List.of(
        new EntryCodec.Op(args("ONCE", "c", "1", "0"), null))))))
        .hasMessage("request 1: ONCE with 3 arguments (expected: ONCE client seq floor command [args...])");
    assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap(EntryCodec.encode(List.of(
        new EntryCodec.Op(args("ONCE", "c", "x", "0", "GET", "k"), null))))))
        .hasMessage("request 1: request id number: 'x' (expected: a decimal integer >= 0)");
    assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap(EntryCodec.encode(List.of(
        new EntryCodec.Op(args("ONCE", "c", "1", "2", "GET", "k"), null))))))
        .hasMessage("request 1: request id: seq 1, floor 2 (expected: 0 <= floor <= seq)");
    assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap("*1\r\n:3\r\n".getBytes(StandardCharsets.US_ASCII))))
        .hasMessageStartingWith("request 1: array element 1 of 1: expected '$'");
  }

  @Test
  void requestIdsAreChecked() {
    assertThatThrownBy(() -> new RequestId("a b", 1, 0))
        .hasMessage("request id client: 'a b' (expected: 1..64 bytes without spaces)");
    assertThatThrownBy(() -> new RequestId("c", 1, 2)).hasMessageContaining("floor 2");
  }
}
