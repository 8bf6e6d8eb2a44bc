package kv.broker.cli;

/** A bad argument discovered after parsing: kvBroker exits with code 2. Immutable. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
