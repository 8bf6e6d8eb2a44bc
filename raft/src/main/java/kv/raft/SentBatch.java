package kv.raft;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.protocol.Message;

/**
 * One batch of a {@link GroupLane} on the wire: its requests, the Ratis client slot it went out
 * on, and whether it is finished (exactly once, by its reply, a failure or its watchdog).
 * Thread-safe: finished, the watchdog and the message are set from Ratis's and the timer's threads.
 */
final class SentBatch {
  final boolean write;
  final int slot;
  final List<PendingRequest> ops;
  final long sentNanos = System.nanoTime();
  final AtomicBoolean finished = new AtomicBoolean();
  volatile ScheduledFuture<?> watchdog;
  /** The encoded batch, kept to send a read again while the group has no leader. */
  volatile Message message;

  SentBatch(boolean write, int slot, List<PendingRequest> ops) {
    this.write = write;
    this.slot = slot;
    this.ops = ops;
  }
}
