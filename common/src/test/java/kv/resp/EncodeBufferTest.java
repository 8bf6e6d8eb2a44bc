package kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodeBufferTest {
  private static String text(EncodeBuffer b) {
    return new String(b.array(), 0, b.size(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void holdsWhatTheEncoderWroteAsEncodingToAnArrayWould() {
    EncodeBuffer b = new EncodeBuffer();
    Resp reply = new Resp.Array(List.of(new Resp.Int(5), Resp.Bulk.of("hello"), Resp.NullBulk.INSTANCE));
    RespEncoder.encode(reply, b);
    RespEncoder.encodeRequest(List.of("GET".getBytes(StandardCharsets.UTF_8), "k".getBytes(StandardCharsets.UTF_8)), b);
    assertThat(text(b)).isEqualTo(new String(RespEncoder.encode(reply), StandardCharsets.ISO_8859_1)
        + "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
  }

  @Test
  void growsPastItsArrayAndKeepsEveryByte() {
    EncodeBuffer b = new EncodeBuffer();
    byte[] big = new byte[100_000];
    Arrays.fill(big, (byte) 'x');
    b.write('a');
    RespEncoder.encode(new Resp.Bulk(big), b);
    assertThat(b.size()).isEqualTo(1 + "$100000\r\n".length() + 100_000 + 2);
    assertThat(text(b)).startsWith("a$100000\r\nxxx").endsWith("xx\r\n");
  }

  @Test
  void resetKeepsASmallArrayAndDropsABigOne() {
    EncodeBuffer b = new EncodeBuffer();
    b.write(new byte[100], 0, 100);
    byte[] small = b.array();
    b.reset();
    assertThat(b.size()).isZero();
    b.write('z');
    assertThat(b.array()).isSameAs(small);
    assertThat(text(b)).isEqualTo("z");
    b.write(new byte[EncodeBuffer.KEPT + 1], 0, EncodeBuffer.KEPT + 1);
    b.reset();
    assertThat(b.array().length).isLessThanOrEqualTo(EncodeBuffer.KEPT);
  }

  @Test
  void truncateForgetsAHalfWrittenEncodingAndRefusesAMarkOutsideIt() {
    EncodeBuffer b = new EncodeBuffer();
    RespEncoder.encode(Resp.OK, b);
    int mark = b.size();
    b.write("$5\r\nhe".getBytes(StandardCharsets.US_ASCII), 0, 6);
    b.truncate(mark);
    assertThat(text(b)).isEqualTo("+OK\r\n");
    assertThatThrownBy(() -> b.truncate(mark + 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mark: 6 (expected: 0..5)");
    assertThatThrownBy(() -> b.truncate(-1)).hasMessage("mark: -1 (expected: 0..5)");
  }
}
