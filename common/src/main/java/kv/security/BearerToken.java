package kv.security;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads the password of an HTTP {@code Authorization: Bearer PASSWORD} header (RFC 6750). Stateless. */
public final class BearerToken {
  private BearerToken() {}

  /** The password of {@code Bearer PASSWORD} (the scheme in any case), as UTF-8 bytes, or null. */
  public static byte[] of(String header) {
    if (header == null || header.length() < 7 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    String token = header.substring(7).strip();
    return token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }
}
