package kv.createdata;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar redrawn with {@code \r} on a terminal: percent, count and records per
 * second. It first appears after {@link #FIRST_DRAW_NANOS} (short runs stay silent) and is redrawn
 * at most every {@link #REDRAW_NANOS}; {@link #finish} ends it with a summary line. A disabled bar
 * prints nothing. Not thread-safe.
 */
final class ProgressBar {
  static final long FIRST_DRAW_NANOS = 500_000_000L;
  static final long REDRAW_NANOS = 200_000_000L;
  private static final int WIDTH = 30;
  private static final int CHECK_EVERY = 1024;

  private final PrintWriter err;
  private final long total;
  private final LongSupplier nanoTime;
  private final boolean enabled;
  private final long start;
  private long nextDraw;
  private boolean drawn;

  ProgressBar(PrintWriter err, long total, LongSupplier nanoTime, boolean enabled) {
    this.err = err;
    this.total = total;
    this.nanoTime = nanoTime;
    this.enabled = enabled;
    this.start = enabled ? nanoTime.getAsLong() : 0;
    this.nextDraw = start + FIRST_DRAW_NANOS;
  }

  /** Reports that {@code done} records are written; cheap enough to call for every record. */
  void update(long done) {
    if (!enabled || done % CHECK_EVERY != 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (now - nextDraw >= 0) {
      draw(done, now);
      nextDraw = now + REDRAW_NANOS;
    }
  }

  /** Ends the bar: the line reaches 100% and a summary follows. */
  void finish(long done, String summary) {
    if (!enabled) {
      return;
    }
    if (drawn) {
      draw(done, nanoTime.getAsLong());
      err.print('\n');
    }
    err.println(summary);
    err.flush();
  }

  /** Seconds since the bar was created (0 when disabled). */
  double elapsedSeconds() {
    return enabled ? (nanoTime.getAsLong() - start) / 1e9 : 0;
  }

  private void draw(long done, long now) {
    int filled = (int) (WIDTH * (double) done / total);
    double seconds = Math.max(now - start, 1) / 1e9;
    StringBuilder line = new StringBuilder(80).append("\r[");
    for (int i = 0; i < WIDTH; i++) {
      line.append(i < filled ? '#' : '-');
    }
    line.append(String.format(Locale.ROOT, "] %3d%%  %,d/%,d records  %,.0f records/s ",
        (int) (100 * (double) done / total), done, total, done / seconds));
    err.print(line);
    err.flush();
    drawn = true;
  }
}
