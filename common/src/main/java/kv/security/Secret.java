package kv.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A password: its text, for a program that sends it (the broker's AUTH to the servers), and its
 * SHA-256 digest, which {@link #matches} compares with a candidate's in constant time. Never
 * printed. Immutable.
 */
public final class Secret {
  /*
   * Comparing digests rather than the passwords makes the time independent of both the content
   * and the length of the candidate (MessageDigest.isEqual is constant-time for arrays of equal
   * length, and digests always are), as Redis does with its SHA-256 password hashes.
   */
  /** Longest password accepted, in bytes. */
  public static final int MAX_BYTES = 4096;

  private final byte[] password;
  private final byte[] digest;

  private Secret(byte[] password) {
    this.password = password.clone();
    this.digest = sha256(password);
  }

  /**
   * A secret from its text; {@code what} names where it came from in errors (e.g. {@code
   * --password-file /etc/kv/password}).
   *
   * @throws IllegalArgumentException when empty, longer than {@link #MAX_BYTES} or holding a
   *     line break or NUL (which no RESP inline command could carry)
   */
  public static Secret of(String what, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0) {
      throw new IllegalArgumentException(what + ": empty (expected: a password of 1 to " + MAX_BYTES + " bytes)");
    }
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(what + ": " + bytes.length + " bytes (expected: a password of 1 to "
          + MAX_BYTES + " bytes)");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == 0) {
        throw new IllegalArgumentException(what + ": holds a line break or NUL at character " + i
            + " (expected: the password on one line)");
      }
    }
    return new Secret(bytes);
  }

  /** Whether {@code candidate} is this password; takes the same time whatever the candidate. */
  public boolean matches(byte[] candidate) {
    return MessageDigest.isEqual(digest, sha256(candidate));
  }

  /** The password as text, to send it (AUTH, Authorization: Bearer). */
  public String text() {
    return new String(password, StandardCharsets.UTF_8);
  }

  /** The password's bytes (a copy). */
  public byte[] bytes() {
    return password.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && MessageDigest.isEqual(digest, other.digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "Secret[hidden]";
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
