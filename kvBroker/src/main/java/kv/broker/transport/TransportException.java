package kv.broker.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A request got no reply: the server is down, the connection was lost or refused, or the reply
 * did not come within the timeout. Unlike an error reply ({@code Resp.Error}, a normal result),
 * this says nothing about the data: the caller may ask another replica and the server is suspect.
 */
public final class TransportException extends IOException {
  private static final long serialVersionUID = 1L;

  public TransportException(String message) {
    super(message);
  }

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A short reason for logs and messages: "connection refused", "no reply within 1500 ms". */
  public static String reason(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof TransportException || t instanceof AuthRefusedException) {
      return t.getMessage();
    }
    if (t instanceof ConnectException) {
      String m = t.getMessage();
      return m != null && m.toLowerCase(Locale.ROOT).contains("timed out") ? "connect timed out" : "connection refused";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
