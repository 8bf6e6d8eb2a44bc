package kv.record;

import java.io.Reader;
import java.util.Arrays;

/**
 * The text being read, seen two ways: by offset (for the layout checks and for error positions in
 * the user's line/column) and as the {@link Reader} handed to Gson, which may see the text wrapped
 * in braces. Translates Gson's "line L column C" locations back to offsets. Not thread-safe; one
 * instance per parse.
 */
final class SourceText {
  private final String text;
  /** 1 when the reader sees {@code '{' + text + '}'}, else 0. */
  private final int shift;
  /** Offsets at which lines 1, 2, ... start ('\n' ends a line, as in Gson); null until needed. */
  private int[] lineStarts;

  private SourceText(String text, boolean braced) {
    this.text = text;
    this.shift = braced ? 1 : 0;
  }

  /** Lines are only needed to report a position, so they are counted on the first error. */
  private int[] lineStarts() {
    if (lineStarts == null) {
      int count = 1;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          count++;
        }
      }
      int[] starts = new int[count];
      int line = 1;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          starts[line++] = i + 1;
        }
      }
      lineStarts = starts;
    }
    return lineStarts;
  }

  static SourceText plain(String text) {
    return new SourceText(text, false);
  }

  /** The reader will see {@code '{' + text + '}'}; offsets and positions stay the user's. */
  static SourceText braced(String text) {
    return new SourceText(text, true);
  }

  Reader reader() {
    return new BracedReader(text, shift == 1);
  }

  int length() {
    return text.length();
  }

  boolean atEnd(int offset) {
    return offset >= text.length();
  }

  /** The character at {@code offset}, or -1 at (or past) the end of the text. */
  int charAt(int offset) {
    return offset >= 0 && offset < text.length() ? text.charAt(offset) : -1;
  }

  /** True when the text at {@code offset} continues with all of {@code s}. */
  boolean regionMatches(int offset, String s) {
    return text.regionMatches(offset, s, 0, s.length());
  }

  String substring(int from, int to) {
    return text.substring(from, to);
  }

  static boolean isWhitespace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  int skipWhitespace(int offset) {
    int i = offset;
    while (i < text.length() && isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** What the user sees at {@code offset}, for "but found ..." parts of messages. */
  String describe(int offset) {
    if (offset >= text.length()) {
      return "end of input";
    }
    return describeChar(text.charAt(offset));
  }

  static String describeChar(char c) {
    int type = Character.getType(c);
    boolean invisible = type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
        || type == Character.UNASSIGNED || type == Character.PRIVATE_USE || Character.isWhitespace(c)
        || Character.isSpaceChar(c);
    if (invisible) {
      return String.format("U+%04X", (int) c);
    }
    return "'" + c + "'";
  }

  int line(int offset) {
    int idx = Arrays.binarySearch(lineStarts(), Math.max(0, offset));
    return idx >= 0 ? idx + 1 : -idx - 1;
  }

  int column(int offset) {
    return Math.max(0, offset) - lineStarts()[line(offset) - 1] + 1;
  }

  RecordFormatException error(String problem, int offset) {
    return new RecordFormatException(problem, line(offset), column(offset));
  }

  RecordFormatException error(String problem, int offset, Throwable cause) {
    return new RecordFormatException(problem, line(offset), column(offset), cause);
  }

  /**
   * Turns the first "at line L column C" found in {@code location} (Gson's reader description or
   * exception message) into an offset of this text; -1 when there is none.
   */
  int offsetOfLocation(String location) {
    if (location == null) {
      return -1;
    }
    int at = location.indexOf(" at line ");
    if (at < 0) {
      return -1;
    }
    int i = at + " at line ".length();
    int lineEnd = digitsEnd(location, i);
    String columnWord = " column ";
    if (lineEnd == i || !location.startsWith(columnWord, lineEnd)) {
      return -1;
    }
    int c = lineEnd + columnWord.length();
    int columnEnd = digitsEnd(location, c);
    if (columnEnd == c) {
      return -1;
    }
    int line = Integer.parseInt(location, i, lineEnd, 10);
    int column = Integer.parseInt(location, c, columnEnd, 10);
    if (line < 1 || line > lineStarts().length) {
      return -1;
    }
    return line == 1 ? column - 1 - shift : lineStarts()[line - 1] + column - 1;
  }

  private static int digitsEnd(String s, int from) {
    int i = from;
    while (i < s.length() && i - from < 10 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  /** A reader over the text, optionally preceded by '{' and followed by '}', without copying. */
  private static final class BracedReader extends Reader {
    private final String text;
    /** Next offset to deliver: -1 is the opening brace, text.length() the closing one. */
    private int next;
    private final int last;

    BracedReader(String text, boolean braced) {
      this.text = text;
      this.next = braced ? -1 : 0;
      this.last = braced ? text.length() : text.length() - 1;
    }

    @Override
    public int read(char[] buf, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (next > last) {
        return -1;
      }
      int n = 0;
      if (next == -1) {
        buf[off + n++] = '{';
        next = 0;
      }
      int take = Math.min(len - n, text.length() - next);
      if (take > 0) {
        text.getChars(next, next + take, buf, off + n);
        n += take;
        next += take;
      }
      if (n < len && next == text.length() && next <= last) {
        buf[off + n++] = '}';
        next++;
      }
      return n;
    }

    @Override
    public void close() {}
  }
}
