package kv.resp;

/**
 * Bytes that cannot be framed as RESP and from which the stream cannot resynchronise; the
 * connection must get an error reply and be closed. The message names what was wrong.
 */
public final class RespProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public RespProtocolException(String message) {
    super(message);
  }
}
