package kv.server;

/** Reads the raw text of an inline command line. Stateless. */
final class Inline {
  private Inline() {}

  /** The line after its first word and the blanks around it: {@code PUT "k" : {}} → {@code "k" : {}}. */
  static String restAfterCommand(String line) {
    int i = skipBlanks(line, 0);
    while (i < line.length() && !isBlank(line.charAt(i))) {
      i++;
    }
    return line.substring(skipBlanks(line, i)).strip();
  }

  private static int skipBlanks(String s, int i) {
    while (i < s.length() && isBlank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
