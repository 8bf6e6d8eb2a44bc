package kv.createdata;

/**
 * A failure the user is told about in one line: exit code 2 for bad arguments or a bad key file
 * (nothing was written), 1 for a failure while running (e.g. the output cannot be written).
 */
final class CommandFailure extends Exception {
  static final int USAGE = 2;
  static final int RUNTIME = 1;
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  private CommandFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A bad flag value: {@code "-n/--records: 0 (expected: > 0)"}. */
  static CommandFailure badFlag(String flag, Object actual, String expected) {
    return new CommandFailure(USAGE, flag + ": " + actual + " (expected: " + expected + ")", null);
  }

  static CommandFailure usage(String message, Throwable cause) {
    return new CommandFailure(USAGE, message, cause);
  }

  static CommandFailure runtime(String message, Throwable cause) {
    return new CommandFailure(RUNTIME, message, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
