package kv.server;

/**
 * A request the command cannot execute as sent (bad argument, bad record, unsupported option):
 * becomes an error reply, the connection stays usable. The message names what was wrong and what
 * is expected; {@link #prefix()} is the RESP error code, {@code ERR} unless one carries meaning.
 */
final class CommandException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String prefix;

  CommandException(String message) {
    this("ERR", message, null);
  }

  CommandException(String message, Throwable cause) {
    this("ERR", message, cause);
  }

  CommandException(String prefix, String message, Throwable cause) {
    super(message, cause);
    this.prefix = prefix;
  }

  String prefix() {
    return prefix;
  }
}
