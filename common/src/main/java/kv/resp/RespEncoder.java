package kv.resp;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.List;

/** Encodes replies and requests as RESP2 bytes. Stateless and thread-safe. */
public final class RespEncoder {
  private RespEncoder() {}

  public static void encode(Resp value, OutputStream out) {
    throw new UnsupportedOperationException("TODO");
  }

  public static byte[] encode(Resp value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(value, out);
    return out.toByteArray();
  }

  /** A request as an array of bulk strings. */
  public static void encodeRequest(List<byte[]> args, OutputStream out) {
    throw new UnsupportedOperationException("TODO");
  }
}
