package kv.server.strong;

/** A strong-mode server cannot start; the message is one line for the user (kvServer exits with 1). */
public final class StrongStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StrongStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
