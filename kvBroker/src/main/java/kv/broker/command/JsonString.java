package kv.broker.command;

/**
 * Reads one JSON string literal (a quoted key typed after a command word), with the JSON escapes
 * {@code \" \\ \/ \b \f \n \r \t \u0041}. Stateless.
 */
final class JsonString {
  private JsonString() {}

  /**
   * Returns the index just after the closing quote of the string that opens at {@code start}.
   *
   * @throws BadCommandException when the string is not closed
   */
  static int end(String text, int start) throws BadCommandException {
    for (int i = start + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      }
    }
    throw new BadCommandException("key: unterminated string " + text.substring(start)
        + " (expected: a closing '\"')");
  }

  /** Decodes the literal {@code text[start, end)} (quotes included) into its characters. */
  static String decode(String text, int start, int end) throws BadCommandException {
    StringBuilder out = new StringBuilder(end - start);
    for (int i = start + 1; i < end - 1; i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = text.charAt(++i);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (!isHex(text, i + 1, i + 5, end - 1)) {
            throw new BadCommandException("key: invalid escape '\\u" + text.substring(i + 1, Math.min(i + 5, end - 1))
                + "' (expected: \\u and four hex digits)");
          }
          out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> throw new BadCommandException("key: invalid escape '\\" + e
            + "' (expected: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      }
    }
    return out.toString();
  }

  private static boolean isHex(String text, int from, int to, int limit) {
    if (to > limit) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
