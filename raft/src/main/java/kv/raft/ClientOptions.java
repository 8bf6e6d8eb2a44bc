package kv.raft;

/**
 * How a {@link StrongClient} talks to each group. Immutable.
 *
 * @param readMode LINEARIZABLE (ReadIndex: the leader confirms its leadership with a heartbeat
 *     round before reading) or LOCAL (the leader reads its own state at once: faster, but a
 *     leader that lost its leadership without knowing it yet may answer with stale data)
 * @param writeSlots write batches in flight per group (one Ratis client each)
 * @param readSlots read batches in flight per group (one Ratis client each)
 * @param batchOps most requests in one batch
 * @param batchBytes about the most bytes of requests in one batch (a larger request goes alone)
 */
public record ClientOptions(ReadMode readMode, int writeSlots, int readSlots, int batchOps, int batchBytes) {
  /** Whether reads are linearizable. */
  public enum ReadMode { LINEARIZABLE, LOCAL }

  public ClientOptions {
    if (readMode == null || writeSlots < 1 || readSlots < 1 || batchOps < 1 || batchBytes < 1) {
      throw new IllegalArgumentException("client options: " + readMode + ", " + writeSlots + ", " + readSlots + ", "
          + batchOps + ", " + batchBytes + " (expected: a read mode and numbers >= 1)");
    }
  }

  /** Linearizable reads, 2 write and 2 read slots, batches of up to 512 requests or 1 MiB. */
  public static ClientOptions defaults() {
    return new ClientOptions(ReadMode.LINEARIZABLE, 2, 2, 512, 1 << 20);
  }

  public ClientOptions withReadMode(ReadMode mode) {
    return new ClientOptions(mode, writeSlots, readSlots, batchOps, batchBytes);
  }

  public ClientOptions withSlots(int writes, int reads) {
    return new ClientOptions(readMode, writes, reads, batchOps, batchBytes);
  }

  public ClientOptions withBatch(int ops, int bytes) {
    return new ClientOptions(readMode, writeSlots, readSlots, ops, bytes);
  }
}
