package kv.broker.transport;

import java.io.IOException;

/**
 * A server refused the broker's AUTH (a wrong or missing password): a configuration error, not a
 * network one, so the message names what to fix; the server stays DOWN until the passwords agree.
 */
public final class AuthRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  public AuthRefusedException(String message) {
    super(message);
  }
}
