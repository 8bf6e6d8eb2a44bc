package kv.server.durable;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up replay: the newest snapshot, then every log segment after it, each entry handed to
 * the visitor in file order. A torn last record of the last segment is logged and truncated
 * away; any other damage throws {@link CorruptLogException}. Not thread-safe; used once.
 */
final class Replayer {
  private static final Logger log = LoggerFactory.getLogger(Replayer.class);

  private final DataDirectory dir;
  private long snapshotEntries;
  private long logEntries;
  private long bytes;
  private long dropped;
  /** Where appends continue in the last segment: the end of its last good frame. */
  private long lastSegmentEnd;

  Replayer(DataDirectory dir) {
    this.dir = dir;
  }

  ReplayStats replay(DataDirectory.Layout layout, EntryVisitor visitor) throws IOException {
    long started = System.nanoTime();
    checkCoverage(layout);
    if (layout.snapshot() >= 0) {
      readSnapshot(layout.snapshot(), visitor);
    }
    List<Long> segments = layout.segments();
    int blankFrom = blankTail(segments);
    for (int i = 0; i < segments.size(); i++) {
      long n = segments.get(i);
      long expected = i == 0 ? layout.snapshot() : segments.get(i - 1) + 1;
      if (expected >= 0 && n != expected) {
        Path missing = dir.segment(expected);
        throw new CorruptLogException(missing, 0, missing + " is missing (found "
            + dir.segment(n).getFileName() + " after it): the writes it held would be lost. "
            + advice(null, 0));
      }
      readSegment(dir.segment(n), i >= blankFrom - 1, visitor);
    }
    return new ReplayStats(snapshotEntries, logEntries, segments.size(), bytes, dropped,
        (System.nanoTime() - started) / 1_000_000);
  }

  long lastSegmentEnd() {
    return lastSegmentEnd;
  }

  /*
   * The history of a directory starts at log.000001, or at snapshot.N, which holds everything
   * before log.N (compaction creates log.N, and fsyncs the directory, before it writes
   * snapshot.N). So the first segment is log.000001 when there is no snapshot, and log.N when the
   * newest is snapshot.N; each later segment follows the one before without a gap (checked while
   * reading). Anything else means files were lost, and replaying the rest would quietly serve a
   * part of the data. (A deleted last segment cannot be told from one never written.)
   */
  private void checkCoverage(DataDirectory.Layout layout) throws CorruptLogException {
    List<Long> segments = layout.segments();
    long snapshot = layout.snapshot();
    if (snapshot < 0 && !segments.isEmpty() && segments.get(0) != 1) {
      long first = segments.get(0);
      Path missing = dir.snapshot(first);
      throw new CorruptLogException(missing, 0, "data directory " + dir.shownAs() + " does not hold the whole"
          + " history: neither " + missing + " nor " + dir.segment(1).getFileName() + " to "
          + dir.segment(first - 1).getFileName() + " is there, so the records written before "
          + dir.segment(first).getFileName() + " would be lost. kvServer refuses to start rather than serve"
          + " part of its data. " + advice(null, 0));
    }
    if (snapshot >= 0 && segments.isEmpty()) {
      Path missing = dir.segment(snapshot);
      throw new CorruptLogException(missing, 0, missing + " is missing (" + dir.snapshot(snapshot).getFileName()
          + " is there, and compaction starts " + missing.getFileName() + " before it writes "
          + dir.snapshot(snapshot).getFileName() + "): the writes after the snapshot would be lost. "
          + advice(null, 0));
    }
  }

  private void readSnapshot(long n, EntryVisitor visitor) throws IOException {
    Path file = dir.snapshot(n);
    try (FrameReader reader = new FrameReader(file)) {
      Frames.Frame start = reader.next();
      if (start == null || start.type() != Frames.SNAPSHOT_START || start.number() != n) {
        throw corrupt(file, 0, "it does not start with the snapshot header for segment " + n);
      }
      long entries = 0;
      while (true) {
        long offset = reader.offset();
        Frames.Frame f = reader.next();
        if (f == null) {
          throw corrupt(file, offset, "it ends without its end record (it was renamed into place only when"
              + " complete, so it was cut short later)");
        }
        if (f.type() == Frames.SNAPSHOT_END) {
          if (f.number() != entries) {
            throw corrupt(file, offset, "its end record counts " + f.number() + " entries, but it holds " + entries);
          }
          if (reader.offset() != reader.size()) {
            throw corrupt(file, reader.offset(), (reader.size() - reader.offset()) + " bytes follow its end record");
          }
          break;
        }
        if (!Frames.isEntry(f.type())) {
          throw corrupt(file, offset, "unexpected record type " + f.type() + " inside a snapshot");
        }
        visitor.accept(f.key(), f.version(), f.value());
        entries++;
      }
      snapshotEntries = entries;
      bytes += reader.size();
    } catch (FrameReader.BadFrameException e) {
      throw corrupt(file, e.offset, e.getMessage());
    }
  }

  /*
   * A torn record can only be the last thing written. Normally that is in the last segment; but
   * an older kvServer created the next segment before it finished writing the current one, so a
   * crash could leave a torn tail in log.N followed by an empty (or, after a power cut, a
   * zero-filled) log.N+1. Nothing was ever written after the torn record then, so it counts as
   * torn if every later segment is blank. (This kvServer fsyncs log.N before it creates log.N+1;
   * see Compaction.compactNow.) Returns the index of the first segment of the blank run at the
   * end (segments.size() when the last one holds data).
   */
  private int blankTail(List<Long> segments) throws IOException {
    int from = segments.size();
    while (from > 1 && blank(dir.segment(segments.get(from - 1)))) {
      from--;
    }
    return from;
  }

  private static boolean blank(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return FrameReader.allZeros(ch, 0, ch.size());
    }
  }

  /** {@code last}: nothing but blank segments follow, so a torn tail may be dropped here. */
  private void readSegment(Path file, boolean last, EntryVisitor visitor) throws IOException {
    try (FrameReader reader = new FrameReader(file)) {
      try {
        Frames.Frame f;
        while (true) {
          long offset = reader.offset();
          f = reader.next();
          if (f == null) {
            break;
          }
          if (!Frames.isEntry(f.type())) {
            throw corrupt(file, offset, "unexpected record type " + f.type() + " in a log segment");
          }
          visitor.accept(f.key(), f.version(), f.value());
          logEntries++;
        }
        lastSegmentEnd = reader.size();
      } catch (FrameReader.BadFrameException e) {
        boolean torn = last && !e.checksumValid
            && !FrameReader.validFrameAfter(reader.channel(), e.offset, reader.size());
        if (!torn) {
          String where = last ? ", and valid records follow it" : " of a log segment that is not the last one";
          throw corrupt(file, e.offset, e.getMessage() + where);
        }
        long tail = reader.size() - e.offset;
        log.warn("dropped a torn record at the end of {} (offset {}, {} bytes): the server stopped mid-write",
            file.getFileName(), e.offset, tail);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(e.offset);
          ch.force(true);
        }
        dropped = tail;
        lastSegmentEnd = e.offset;
      }
      bytes += lastSegmentEnd;
    }
  }

  private CorruptLogException corrupt(Path file, long offset, String problem) {
    return new CorruptLogException(file, offset, file + " is damaged at offset " + offset + ": " + problem
        + ". kvServer refuses to start rather than serve part of its data. "
        + advice(file.getFileName().toString().startsWith("log.") ? file : null, offset));
  }

  /** What the user can do; {@code segment} non-null: a damaged log segment that can be cut at {@code offset}. */
  private String advice(Path segment, long offset) {
    String keep = segment == null ? ""
        : " To keep the writes before the damage, cut the file there (truncate -s " + offset + " " + segment
        + ") and start again.";
    return "Restore the data directory from a backup, or move " + dir.shownAs() + " away and start empty"
        + " (the broker still finds these records on their other replicas)." + keep;
  }
}
