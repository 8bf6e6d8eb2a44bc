package kv.server.durable;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import kv.record.Value;

/**
 * Where a store's writes are logged before they are applied: the {@link DurableLog} of a data
 * directory, or a simulated log in an in-process test of a cluster. Implementations are
 * thread-safe.
 */
public interface EntryLog {

  /**
   * Logs one entry (value null: a tombstone), then runs {@code applyOnceLogged} and returns what it
   * returns; throws an IOException saying why (e.g. a full disk), without running it, when the log
   * cannot take the entry.
   */
  boolean append(String key, long version, Value valueOrNull, BooleanSupplier applyOnceLogged) throws IOException;

  /** Why appends fail now (for INFO's {@code log_error}), or null while they are written. */
  String unwritable();
}
