package kv.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar redrawn with {@code \r} on a terminal: a bar and percentage of the work
 * done (records, or bytes of a file), the records so far and records per second. It first appears
 * after {@link #FIRST_DRAW_NANOS} (short runs stay silent) and is redrawn at most every
 * {@link #REDRAW_NANOS}; {@link #finish} ends it with a summary line. A disabled bar prints
 * nothing. Used by createData and by kvBroker's indexing. Not thread-safe.
 */
public final class ProgressBar {
  public static final long FIRST_DRAW_NANOS = 500_000_000L;
  public static final long REDRAW_NANOS = 200_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final LongSupplier nanoTime;
  private final boolean enabled;
  private final long start;
  private long nextDraw;
  private boolean drawn;
  private long done;
  private long total;
  private long records;

  /** @param enabled false: nothing is ever printed (not a terminal, or quiet) */
  public ProgressBar(PrintWriter err, LongSupplier nanoTime, boolean enabled) {
    this.err = err;
    this.nanoTime = nanoTime;
    this.enabled = enabled;
    this.start = enabled ? nanoTime.getAsLong() : 0;
    this.nextDraw = start + FIRST_DRAW_NANOS;
  }

  /**
   * Reports that {@code done} of {@code total} units of work are done ({@code total} <= 0: not
   * known, no bar) and {@code records} records; when the work is counted in records
   * ({@code done == records}) the total is shown with them. Redraws when it is time.
   */
  public void update(long done, long total, long records) {
    if (!enabled) {
      return;
    }
    this.done = done;
    this.total = total;
    this.records = records;
    long now = nanoTime.getAsLong();
    if (now - nextDraw >= 0) {
      draw(now);
      nextDraw = now + REDRAW_NANOS;
    }
  }

  /** Ends the bar: if it was shown, it is drawn once more as of the last update; then the summary line. */
  public void finish(String summary) {
    if (!enabled) {
      return;
    }
    if (drawn) {
      draw(nanoTime.getAsLong());
      err.print('\n');
    }
    err.println(summary);
    err.flush();
  }

  /** Seconds since the bar was created (0 when disabled). */
  public double elapsedSeconds() {
    return enabled ? (nanoTime.getAsLong() - start) / 1e9 : 0;
  }

  private void draw(long now) {
    double seconds = Math.max(now - start, 1) / 1e9;
    StringBuilder line = new StringBuilder(80).append('\r');
    if (total > 0) {
      double fraction = Math.min(1.0, (double) done / total);
      int filled = (int) (WIDTH * fraction);
      line.append('[');
      for (int i = 0; i < WIDTH; i++) {
        line.append(i < filled ? '#' : '-');
      }
      line.append(String.format(Locale.ROOT, "] %3d%%  ", (int) (100 * fraction)));
    }
    line.append(String.format(Locale.ROOT, "%,d", records));
    if (total > 0 && done == records) {
      line.append(String.format(Locale.ROOT, "/%,d", total));
    }
    line.append(String.format(Locale.ROOT, " records  %,.0f records/s ", records / seconds));
    err.print(line);
    err.flush();
    drawn = true;
  }
}
