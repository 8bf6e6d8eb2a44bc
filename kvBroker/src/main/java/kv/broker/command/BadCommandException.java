package kv.broker.command;

/**
 * A command line or RESP request that is not a valid broker command. The message says what was
 * wrong and the expected usage; front ends print it after {@code ERROR: } or {@code -ERR }.
 */
public final class BadCommandException extends Exception {
  private static final long serialVersionUID = 1L;

  public BadCommandException(String message) {
    super(message);
  }

  public BadCommandException(String message, Throwable cause) {
    super(message, cause);
  }
}
