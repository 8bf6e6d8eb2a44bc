package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import kv.resp.Resp;
import kv.resp.RespEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 17: keys that differ only in invalid UTF-8 bytes used to become one key (U+FFFD). */
class Utf8KeysTest {
  private static KvServer server;

  @BeforeAll
  static void start() {
    server = KvServer.start(ServerConfig.defaults());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static byte[] request(byte[]... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RespEncoder.encodeRequest(List.of(args), out);
    return out.toByteArray();
  }

  @Test
  void invalidUtf8InAKeyIsRefusedAndNeverMergesTwoKeys() throws Exception {
    byte[] put = "PUT".getBytes();
    try (RawClient c = new RawClient(server.port())) {
      c.send(request(put, new byte[] {'u', (byte) 0xff}, "{ \"v\" : 1 }".getBytes()));
      Resp first = c.read();
      c.send(request(put, new byte[] {'u', (byte) 0xfe}, "{ \"v\" : 2 }".getBytes()));
      Resp second = c.read();
      assertThat(first).isEqualTo(new Resp.Error(
          "ERR argument 1 of PUT: invalid UTF-8 at byte offset 1 (0xff; expected: UTF-8 text)"));
      assertThat(second).isEqualTo(new Resp.Error(
          "ERR argument 1 of PUT: invalid UTF-8 at byte offset 1 (0xfe; expected: UTF-8 text)"));
      c.send(request("GET".getBytes(), "u\uFFFD".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(c.read()).as("nothing stored under the replacement character").isEqualTo(Resp.NullBulk.INSTANCE);
      c.send(request("PUT".getBytes(), new byte[] {'u', (byte) 0xc3, (byte) 0xbf}, "{}".getBytes()));
      assertThat(c.read()).isEqualTo(Resp.OK);
      c.send(request("GET".getBytes(), new byte[] {(byte) 0x80}));
      assertThat(c.read()).isEqualTo(new Resp.Error(
          "ERR argument 1 of GET: invalid UTF-8 at byte offset 0 (0x80; expected: UTF-8 text)"));
      c.send(request(new byte[] {'G', (byte) 0xff}));
      assertThat(c.read()).isInstanceOf(Resp.Error.class);
      c.send(request("ECHO".getBytes(), new byte[] {(byte) 0xff, 0}));
      assertThat(c.read()).as("ECHO stays binary-safe").isEqualTo(new Resp.Bulk(new byte[] {(byte) 0xff, 0}));
    }
  }
}
