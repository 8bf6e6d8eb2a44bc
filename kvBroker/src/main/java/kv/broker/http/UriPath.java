package kv.broker.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments of a request target's path: the path (before any {@code ?} or {@code #}) split at
 * each {@code /}, then each segment percent-decoded and read as UTF-8, so {@code /keys/a%2Fb} is
 * the segments {@code keys} and {@code a/b}. Pure; stateless.
 */
final class UriPath {
  /*
   * Splitting before decoding is what lets a key hold '/': %2F is data, '/' is structure. '+' is a
   * plus (form encoding is for query strings, not paths). A target arrives as Netty decoded the
   * request line, one char per byte, so raw UTF-8 bytes a client did not percent-encode (curl
   * sends them as typed) are chars 0x80..0xFF here and decode like their %XX forms.
   */
  private UriPath() {}

  /**
   * The decoded segments of {@code target}'s path, without the leading {@code /}
   * ({@code "/"} has none).
   *
   * @throws HttpError 400 naming a bad percent-escape or invalid UTF-8, and where it is
   */
  static List<String> segments(String target) throws HttpError {
    String path = pathOf(target);
    List<String> segments = new ArrayList<>();
    if (path.equals("/")) {
      return segments;
    }
    int start = 1;
    while (true) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      segments.add(decode(path, start, end, segments.size() + 1));
      if (slash < 0) {
        return segments;
      }
      start = slash + 1;
    }
  }

  /** The path part of a request target (origin form, or absolute form without its scheme and host). */
  private static String pathOf(String target) throws HttpError {
    String path = target;
    int scheme = path.indexOf("://");
    if (scheme > 0 && scheme < path.indexOf('/')) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    int end = path.length();
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '?' || path.charAt(i) == '#') {
        end = i;
        break;
      }
    }
    path = path.substring(0, end);
    if (!path.startsWith("/")) {
      throw new HttpError(400, "request target: '" + shown(target) + "' (expected: a path starting with /, as in /keys/person1)");
    }
    return path;
  }

  /** Decodes {@code path[start, end)}, segment number {@code n} (1-based), to text. */
  private static String decode(String path, int start, int end, int n) throws HttpError {
    byte[] bytes = new byte[end - start];
    int length = 0;
    boolean plain = true;
    for (int i = start; i < end; i++) {
      char c = path.charAt(i);
      if (c == '%') {
        int high = i + 2 < end ? Character.digit(path.charAt(i + 1), 16) : -1;
        int low = i + 2 < end ? Character.digit(path.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          throw new HttpError(400, "path segment " + n + ": invalid percent-encoding '"
              + shown(path.substring(i, Math.min(end, i + 3))) + "' at character " + (i + 1) + " of the path '"
              + shown(path) + "' (expected: % and two hex digits, as in %2F for /)");
        }
        bytes[length++] = (byte) (high * 16 + low);
        i += 2;
        plain = false;
      } else {
        if (c > 0x7f) {
          plain = false;
        }
        bytes[length++] = (byte) c;
      }
    }
    if (plain) {
      return path.substring(start, end);
    }
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
    CharBuffer out = CharBuffer.allocate(length);
    CoderResult result = utf8.decode(in, out, true);
    if (!result.isError()) {
      result = utf8.flush(out);
    }
    if (result.isError()) {
      throw new HttpError(400, "path segment " + n + ": invalid UTF-8 at byte " + (in.position() + 1)
          + " of its " + length + " decoded bytes, in '" + shown(path.substring(start, end))
          + "' (expected: UTF-8 text, percent-encoded as in %C3%A9 for \u00e9)");
    }
    return out.flip().toString();
  }

  /** At most 200 chars of client text in a message, one line. */
  static String shown(String text) {
    String s = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }
}
