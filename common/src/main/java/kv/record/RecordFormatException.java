package kv.record;

/**
 * Text that is not a valid record, value or path. The message says what was wrong and what was
 * expected; {@link #line()} and {@link #column()} (1-based, 0 when unknown) say where.
 */
public final class RecordFormatException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final int column;

  public RecordFormatException(String problem, int line, int column, Throwable cause) {
    super(problem + (line > 0 ? " at line " + line + " column " + column : ""), cause);
    this.line = line;
    this.column = column;
  }

  public RecordFormatException(String problem, int line, int column) {
    this(problem, line, column, null);
  }

  public RecordFormatException(String problem) {
    this(problem, 0, 0, null);
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
