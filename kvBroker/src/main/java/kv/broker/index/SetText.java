package kv.broker.index;

/**
 * Finds the set's text in the text of a record the parser has accepted ({@code key : { ... }}),
 * so the indexer can send the record as written instead of printing it again: the servers parse
 * what they receive and keep the set, never the text. Stateless.
 */
final class SetText {
  private SetText() {}

  /**
   * The text after the record's key and its colon, stripped. Only for a text that parsed as a
   * record: the key is a quoted string or a plain word, followed by whitespace and ':'.
   */
  static String of(String record) {
    int i = skipWhitespace(record, 0);
    if (i < record.length() && record.charAt(i) == '"') {
      i++;
      while (record.charAt(i) != '"') {
        i += record.charAt(i) == '\\' ? 2 : 1;
      }
      i++;
    } else {
      while (record.charAt(i) != ':' && !isWhitespace(record.charAt(i))) {
        i++;
      }
    }
    i = skipWhitespace(record, i);
    if (record.charAt(i) != ':') {
      throw new IllegalArgumentException("record: no ':' after the key at offset " + i
          + " (expected: a record the parser accepted)");
    }
    return record.substring(i + 1).strip();
  }

  private static int skipWhitespace(String s, int i) {
    while (i < s.length() && isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
