package kv.cluster;

/** The server file cannot be read or has a bad line; the message names file, line, text and what is expected. */
public final class ServerFileException extends Exception {
  private static final long serialVersionUID = 1L;

  ServerFileException(String message) {
    super(message);
  }

  ServerFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
