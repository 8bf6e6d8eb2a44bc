package kv.createdata;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import kv.cli.ProgressBar;

/** Streams records 1..n of a generator to a writer, one per line, reporting progress. Stateless. */
final class DatasetWriter {
  private static final long CHECK_PRINT_WRITER_EVERY = 1 << 16;
  /** Records between two progress reports (each reads the clock). */
  private static final long PROGRESS_EVERY = 1 << 10;

  private DatasetWriter() {}

  static void write(RecordGenerator generator, long records, Writer out, ProgressBar bar) throws IOException {
    StringBuilder line = new StringBuilder(256);
    PrintWriter printWriter = out instanceof PrintWriter p ? p : null;
    for (long i = 1; i <= records; i++) {
      line.setLength(0);
      generator.appendRecord(i, line);
      line.append('\n');
      out.append(line);
      if (i % PROGRESS_EVERY == 0 || i == records) {
        bar.update(i, records, i);
      }
      // A PrintWriter swallows write errors; stop early when its reader has gone (e.g. "| head").
      if (printWriter != null && i % CHECK_PRINT_WRITER_EVERY == 0 && printWriter.checkError()) {
        throw new IOException("write failed (closed pipe or full disk?)");
      }
    }
    out.flush();
    if (printWriter != null && printWriter.checkError()) {
      throw new IOException("write failed (closed pipe or full disk?)");
    }
  }
}
