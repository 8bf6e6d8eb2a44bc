package kv.resp;

/**
 * Splits the rest of an inline line (what a raw-line command receives as its one argument) into
 * its first word and the text after it, for commands typed as {@code APPEND key.path value} or
 * {@code SETVALUE key value} where the value is JSON text with spaces and quotes of its own.
 * Pure; stateless.
 */
public final class InlineArgs {
  /*
   * The first word ends at the first whitespace outside double quotes; inside double quotes a
   * backslash takes the next character along (JSON escapes), so "a \" b".c is one word. Quotes
   * are kept: the word is read by the command's own grammar (a path, a quoted key). The rest is
   * everything after the whitespace that follows the word, trimmed.
   */
  private InlineArgs() {}

  /** {@code [word, rest]}, or null when {@code text} holds no word or nothing after it. */
  public static String[] firstWordAndRest(String text) {
    int n = text.length();
    int start = 0;
    while (start < n && isSpace(text.charAt(start))) {
      start++;
    }
    int i = start;
    boolean quoted = false;
    while (i < n && (quoted || !isSpace(text.charAt(i)))) {
      char c = text.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      }
      i++;
    }
    int end = Math.min(i, n);
    int rest = end;
    while (rest < n && isSpace(text.charAt(rest))) {
      rest++;
    }
    int restEnd = n;
    while (restEnd > rest && isSpace(text.charAt(restEnd - 1))) {
      restEnd--;
    }
    if (end == start || restEnd == rest) {
      return null;
    }
    return new String[] {text.substring(start, end), text.substring(rest, restEnd)};
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
