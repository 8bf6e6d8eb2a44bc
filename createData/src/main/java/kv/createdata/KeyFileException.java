package kv.createdata;

/** A key file that cannot be read or does not follow the {@code name type} format; a usage error. */
final class KeyFileException extends Exception {
  private static final long serialVersionUID = 1L;

  KeyFileException(String message) {
    super(message);
  }

  KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
