package kv.resp;

import static kv.resp.Feed.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespEncoderTest {
  private static String wire(Resp value) {
    return new String(RespEncoder.encode(value), StandardCharsets.ISO_8859_1);
  }

  @Test
  void encodesEveryType() {
    assertThat(wire(Resp.OK)).isEqualTo("+OK\r\n");
    assertThat(wire(new Resp.Simple("PONG"))).isEqualTo("+PONG\r\n");
    assertThat(wire(new Resp.Error("ERR unknown command 'FOO'"))).isEqualTo("-ERR unknown command 'FOO'\r\n");
    assertThat(wire(new Resp.Int(0))).isEqualTo(":0\r\n");
    assertThat(wire(new Resp.Int(-1))).isEqualTo(":-1\r\n");
    assertThat(wire(new Resp.Int(-2))).isEqualTo(":-2\r\n");
    assertThat(wire(new Resp.Int(1023))).isEqualTo(":1023\r\n");
    assertThat(wire(new Resp.Int(1024))).isEqualTo(":1024\r\n");
    assertThat(wire(new Resp.Int(Long.MAX_VALUE))).isEqualTo(":9223372036854775807\r\n");
    assertThat(wire(new Resp.Int(Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
    assertThat(wire(Resp.Bulk.of("hello"))).isEqualTo("$5\r\nhello\r\n");
    assertThat(wire(Resp.Bulk.of(""))).isEqualTo("$0\r\n\r\n");
    assertThat(wire(new Resp.Bulk(new byte[] {'\r', '\n', 0}))).isEqualTo("$3\r\n\r\n\0\r\n");
    assertThat(wire(Resp.NullBulk.INSTANCE)).isEqualTo("$-1\r\n");
    assertThat(wire(Resp.NullArray.INSTANCE)).isEqualTo("*-1\r\n");
    assertThat(wire(new Resp.Array(List.of()))).isEqualTo("*0\r\n");
    assertThat(wire(new Resp.Array(List.of(new Resp.Int(5), new Resp.Array(List.of(Resp.NullBulk.INSTANCE))))))
        .isEqualTo("*2\r\n:5\r\n*1\r\n$-1\r\n");
  }

  @Test
  void lengthsBeyondTheCachesAreWrittenInDecimal() {
    byte[] big = new byte[123456];
    String bulk = wire(new Resp.Bulk(big));
    assertThat(bulk).startsWith("$123456\r\n").endsWith("\r\n").hasSize(123456 + 11);
    Resp[] items = new Resp[1000];
    java.util.Arrays.fill(items, new Resp.Int(1));
    assertThat(wire(new Resp.Array(List.of(items)))).startsWith("*1000\r\n:1\r\n");
    for (long n : new long[] {9, 10, 99, 100, 999_999, 1_000_000, -10, -99, -100, 1L << 40}) {
      assertThat(wire(new Resp.Int(n))).isEqualTo(":" + n + "\r\n");
    }
  }

  @Test
  void lineBreaksInSimpleStringsAndErrorsBecomeSpaces() {
    assertThat(wire(new Resp.Simple("a\r\nb"))).isEqualTo("+a  b\r\n");
    assertThat(wire(new Resp.Error("ERR bad\nthing\r"))).isEqualTo("-ERR bad thing \r\n");
  }

  @Test
  void simpleStringsAreUtf8() {
    assertThat(RespEncoder.encode(new Resp.Simple("é"))).containsExactly('+', 0xc3 - 256, 0xa9 - 256, '\r', '\n');
  }

  @Test
  void encodesRequestsAsArraysOfBulkStrings() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RespEncoder.encodeRequest(List.of(ascii("GET"), ascii("person1")), out);
    assertThat(new String(out.toByteArray(), StandardCharsets.ISO_8859_1)).isEqualTo("*2\r\n$3\r\nGET\r\n$7\r\nperson1\r\n");
    assertThat(RespEncoder.request("VGET", "k")).isEqualTo(ascii("*2\r\n$4\r\nVGET\r\n$1\r\nk\r\n"));
  }

  @Test
  void headersAreComputedWithoutStrings() {
    for (long n = -100_000; n <= 100_000; n += 7) {
      assertThat(RespEncoder.header('$', n)).isEqualTo(ascii("$" + n + "\r\n"));
    }
    assertThat(RespEncoder.decimalLength(Long.MIN_VALUE)).isEqualTo(20);
    assertThat(RespEncoder.decimalLength(Long.MAX_VALUE)).isEqualTo(19);
  }

  @Test
  void ioFailuresOfTheStreamAreRethrownUnchecked() {
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("broken pipe");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("broken pipe");
      }
    };
    assertThatThrownBy(() -> RespEncoder.encode(Resp.OK, broken))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("broken pipe");
  }
}
