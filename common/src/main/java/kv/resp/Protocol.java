package kv.resp;

/**
 * The RESP version a connection speaks: every connection starts with RESP2, {@code HELLO 3}
 * switches it to RESP3 and {@code HELLO 2} or {@code RESET} back (as in Redis). Immutable.
 */
public enum Protocol {
  RESP2(2), RESP3(3);

  private final int version;

  Protocol(int version) {
    this.version = version;
  }

  /** 2 or 3, as HELLO takes and reports it. */
  public int version() {
    return version;
  }
}
