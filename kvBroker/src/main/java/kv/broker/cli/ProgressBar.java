package kv.broker.cli;

import java.io.PrintWriter;
import java.util.Locale;
import kv.broker.index.IndexProgress;

/**
 * Draws the indexing progress on one terminal line ({@code \r} rewrites it): a bar and percentage
 * when the file size is known, the records sent and the rate. Redraws at most every 100 ms.
 * Used by the indexing thread only.
 */
final class ProgressBar implements IndexProgress {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private int lastLength;

  ProgressBar(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void update(long bytesRead, long totalBytes, long records) {
    long now = System.nanoTime();
    boolean done = totalBytes > 0 && bytesRead >= totalBytes;
    if (!done && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    String line = line(bytesRead, totalBytes, records, (now - startNanos) / 1e9);
    err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    err.flush();
    lastLength = line.length();
  }

  /** Erases the bar so the summary starts on a clean line. */
  void finish() {
    if (lastLength > 0) {
      err.print("\r" + " ".repeat(lastLength) + "\r");
      err.flush();
    }
  }

  static String line(long bytesRead, long totalBytes, long records, double seconds) {
    StringBuilder out = new StringBuilder("indexing ");
    if (totalBytes > 0) {
      double fraction = Math.min(1.0, (double) bytesRead / totalBytes);
      int filled = (int) Math.round(fraction * WIDTH);
      out.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3d%%  ", (int) (fraction * 100)));
    }
    out.append(String.format(Locale.ROOT, "%,d records", records));
    if (seconds > 0) {
      out.append(String.format(Locale.ROOT, "  %,.0f records/s", records / seconds));
    }
    return out.toString();
  }
}
