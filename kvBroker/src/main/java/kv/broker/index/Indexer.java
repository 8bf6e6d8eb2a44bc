package kv.broker.index;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import kv.broker.engine.Engine;
import kv.broker.engine.Outcome;
import kv.record.Record;
import kv.record.RecordFormatException;
import kv.record.RecordParser;

/**
 * Bulk-loads a data file (one record per line) through any {@link Engine}: streams it line by
 * line, parses each record and puts it (the eventual engine sends the parsed set packed, so the
 * replicas check it rather than parse the text again), pipelined with a bounded window of
 * records in flight so memory stays bounded whatever the file's size. Bad lines and records no
 * replica acknowledged are reported by line number and skipped. One run at a time per instance;
 * the engine is thread-safe.
 */
public final class Indexer {
  static final int MAX_FAILURES_KEPT = 100;
  private static final int PROGRESS_EVERY_LINES = 1024;
  /** Records parsed before they are sent together. */
  private static final int BATCH = 64;

  private final Engine engine;
  private final RecordParser parser;
  private final int maxInFlight;

  public Indexer(Engine engine, RecordParser parser, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: >= 1)");
    }
    this.engine = engine;
    this.parser = parser;
    this.maxInFlight = maxInFlight;
  }

  public IndexSummary index(java.nio.file.Path file, IndexProgress progress) throws IOException, InterruptedException {
    long size = Files.size(file);
    try (InputStream in = Files.newInputStream(file)) {
      return index(in, size, progress);
    }
  }

  /** Indexes a stream of {@code totalBytes} bytes (-1 when unknown); does not close it. */
  IndexSummary index(InputStream input, long totalBytes, IndexProgress progress) throws IOException, InterruptedException {
    long start = System.nanoTime();
    CountingInputStream counted = new CountingInputStream(input);
    int maxChars = parser.limits().maxRecordBytes();
    RecordLineReader lines = new RecordLineReader(new InputStreamReader(counted, StandardCharsets.UTF_8), maxChars);
    InFlightWindow window = new InFlightWindow(maxInFlight);
    Failures failures = new Failures();
    AtomicLong stored = new AtomicLong();
    List<Parsed> batch = new ArrayList<>(BATCH);
    long sent = 0;
    long lineNumber = 0;
    try {
      for (String line = lines.next(); line != null; line = lines.next()) {
        lineNumber++;
        if (lineNumber % PROGRESS_EVERY_LINES == 0) {
          progress.update(counted.count(), totalBytes, sent);
        }
        if (lines.lastWasTooLong()) {
          failures.add(lineNumber, "line longer than " + maxChars + " characters (expected: one record per line, at most "
              + maxChars + ")");
          continue;
        }
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        try {
          batch.add(new Parsed(lineNumber, parser.parseRecord(text)));
        } catch (RecordFormatException e) {
          failures.add(lineNumber, e.getMessage());
          continue;
        }
        if (batch.size() == BATCH) {
          sent += send(batch, window, stored, failures);
        }
      }
      sent += send(batch, window, stored, failures);
    } finally {
      window.awaitEmpty(); // the records still in flight (each ends within the request timeout)
    }
    progress.update(counted.count(), totalBytes, sent);
    double seconds = (System.nanoTime() - start) / 1e9;
    long records = stored.get();
    return new IndexSummary(records, failures.kept(), failures.count(), seconds,
        seconds > 0 ? records / seconds : records);
  }

  /**
   * Sends the parsed records back to back and empties the batch; returns how many were sent.
   * Sending a batch at once (rather than one record per parse) lets each connection write many
   * requests per flush, so the broker and the servers make far fewer system calls per record.
   */
  private int send(List<Parsed> batch, InFlightWindow window, AtomicLong stored, Failures failures)
      throws InterruptedException {
    for (Parsed parsed : batch) {
      window.take();
      put(parsed.record()).whenComplete((outcome, error) -> {
        try {
          String problem = problem(parsed.record().key(), outcome, error);
          if (problem == null) {
            stored.incrementAndGet();
          } else {
            failures.add(parsed.line(), problem);
          }
        } finally {
          window.give();
        }
      });
    }
    int n = batch.size();
    batch.clear();
    return n;
  }

  /** The engine's put; a put that throws instead of failing its future fails the record, not the run. */
  private CompletableFuture<Outcome> put(Record record) {
    try {
      return engine.put(record);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The record parsed from line {@code line} of the file. */
  private record Parsed(long line, Record record) {}

  /** Why a record was not indexed, or null when at least one replica stored it. */
  private String problem(String key, Outcome outcome, Throwable error) {
    if (error != null) {
      return key + ": " + Outcome.Failed.of(error).message();
    }
    if (outcome instanceof Outcome.Written w) {
      if (w.acknowledged() > 0) {
        return null;
      }
      return key + ": no replica stored it (replicas " + String.join(", ", engine.replicasOf(key)) + " are down)";
    }
    if (outcome instanceof Outcome.Failed f) {
      return key + ": " + f.message();
    }
    return key + ": unexpected outcome " + outcome;
  }

  /** The failures with the lowest line numbers (at most {@link #MAX_FAILURES_KEPT}) and the total count. Thread-safe. */
  private static final class Failures {
    private final TreeMap<Long, String> kept = new TreeMap<>();
    private long count;

    synchronized void add(long line, String message) {
      count++;
      kept.put(line, message);
      if (kept.size() > MAX_FAILURES_KEPT) {
        kept.pollLastEntry();
      }
    }

    synchronized long count() {
      return count;
    }

    synchronized List<IndexSummary.Failure> kept() {
      List<IndexSummary.Failure> list = new ArrayList<>(kept.size());
      for (Map.Entry<Long, String> e : kept.entrySet()) {
        list.add(new IndexSummary.Failure(e.getKey(), e.getValue()));
      }
      return list;
    }
  }

  /** Counts the bytes read, for the progress bar. Read on the indexing thread only. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
