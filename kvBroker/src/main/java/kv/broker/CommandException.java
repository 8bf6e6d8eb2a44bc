package kv.broker;

/**
 * A command line or RESP request that is not a valid broker command. The message says what was
 * wrong and the expected usage; front ends print it after {@code ERROR: } or {@code -ERR }.
 */
final class CommandException extends Exception {
  private static final long serialVersionUID = 1L;

  CommandException(String message) {
    super(message);
  }

  CommandException(String message, Throwable cause) {
    super(message, cause);
  }
}
