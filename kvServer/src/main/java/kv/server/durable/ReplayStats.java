package kv.server.durable;

/**
 * What start-up replay read: entries from the snapshot and from the log segments after it,
 * bytes read, bytes of a torn last record dropped (0 if none) and the time it took.
 */
public record ReplayStats(long snapshotEntries, long logEntries, int segments, long bytes,
    long droppedBytes, long millis) {}
