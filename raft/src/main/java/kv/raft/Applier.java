package kv.raft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongSupplier;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * The data a group's state machine holds and the commands over it (a kvServer keyspace).
 * {@link #apply} runs on the state machine's one apply thread, in log order; {@link #read} runs
 * on other threads at the same time and must see a consistent state. Implementations must be
 * deterministic: every member applies the same entries and must end with the same data.
 *
 * <p>Besides the commands of its own, the strong client relies on two reads: {@code DBSIZE}
 * (an integer, the live records) and {@code VSCAN cursor [MATCH pattern] [COUNT n]} (kvServer's
 * key page: {@code [next-cursor, [key, version, live, ...]]}, cursor "0" at start and end).
 */
public interface Applier {
  /**
   * Applies one write request; every version it stores comes from {@code versions} (derived
   * from the log index, never from a clock). Returns the reply, an error reply for a bad request.
   */
  Resp apply(Request request, LongSupplier versions);

  /** Answers a read-only request from the current state. */
  Resp read(Request request);

  /** Writes the whole state (called on the apply thread, between entries). */
  void save(OutputStream out) throws IOException;

  /** Replaces the whole state with one {@link #save} wrote. */
  void load(InputStream in) throws IOException;

  /** Drops the whole state (before a snapshot is installed). */
  void clear();

  /** Live records, for status. */
  long size();
}
