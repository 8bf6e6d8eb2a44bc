package kv.broker.index;

/**
 * Receives the indexer's progress, on the indexing thread, about every thousand lines and once
 * at the end, so a front end can draw a progress bar.
 */
@FunctionalInterface
public interface IndexProgress {
  IndexProgress NONE = (bytesRead, totalBytes, records) -> { };

  /**
   * @param bytesRead bytes of the file read so far
   * @param totalBytes the file's size, or -1 when unknown (a stream)
   * @param records records sent so far
   */
  void update(long bytesRead, long totalBytes, long records);
}
