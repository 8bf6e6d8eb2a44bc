package kv.broker.index;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads the lines of a data file (one record a line, ending in LF or CRLF) with a cap on their
 * length: a longer line is skipped up to its end without being kept, and reported by
 * {@link #lastWasTooLong()}, so one huge line cannot exhaust memory and the rest is still read.
 * (Unlike {@code kv.resp.LineReader}, which frames one protocol line from bytes arriving in
 * buffers and refuses a long one.) Not thread-safe.
 */
final class RecordLineReader {
  private final Reader in;
  private final int maxChars;
  private final char[] buffer = new char[64 * 1024];
  private final StringBuilder line = new StringBuilder(256);
  private int position;
  private int limit;
  private boolean tooLong;

  RecordLineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line without its line ending ("" for a line that was too long), or null at the end. */
  String next() throws IOException {
    line.setLength(0);
    tooLong = false;
    boolean any = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit < 0) {
          limit = 0;
          return any ? finish() : null;
        }
      }
      any = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      append(start, position);
      if (position < limit) {
        position++; // the '\n'
        return finish();
      }
    }
  }

  boolean lastWasTooLong() {
    return tooLong;
  }

  private void append(int from, int to) {
    if (tooLong) {
      return;
    }
    if (line.length() + (to - from) > maxChars + 1) { // + 1: a CR before the LF
      tooLong = true;
      line.setLength(0);
      return;
    }
    line.append(buffer, from, to - from);
  }

  private String finish() {
    int length = line.length();
    if (length > 0 && line.charAt(length - 1) == '\r') {
      line.setLength(length - 1);
    }
    if (!tooLong && line.length() > maxChars) {
      tooLong = true;
      return "";
    }
    return line.toString();
  }
}
