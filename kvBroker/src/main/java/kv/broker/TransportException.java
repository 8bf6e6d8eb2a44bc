package kv.broker;

import java.io.IOException;

/**
 * A request got no reply: the server is down, the connection was lost or refused, or the reply
 * did not come within the timeout. Unlike an error reply ({@code Resp.Error}, a normal result),
 * this says nothing about the data: the caller may ask another replica and the server is suspect.
 */
final class TransportException extends IOException {
  private static final long serialVersionUID = 1L;

  TransportException(String message) {
    super(message);
  }

  TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
