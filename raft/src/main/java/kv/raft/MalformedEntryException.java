package kv.raft;

/** Bytes that are not a well-formed entry or reply; the message says where and what is expected. */
public final class MalformedEntryException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedEntryException(String message) {
    super(message);
  }

  MalformedEntryException(String message, Throwable cause) {
    super(message, cause);
  }
}
