package kv.raft;

import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;

/**
 * How a {@link GroupLane} names a batch Ratis did not answer while the group has a quorum: a
 * write's outcome is unknown, a read may be tried again; and which failures mean the group is
 * electing a leader. Immutable, so thread-safe.
 */
final class LaneFailures {
  private final int group;
  private final RaftTuning tuning;

  LaneFailures(int group, RaftTuning tuning) {
    this.group = group;
    this.tuning = tuning;
  }

  /* A member that answered but knows no leader yet: the group is electing one. */
  static boolean leaderUnknown(Throwable cause) {
    return cause instanceof ReadIndexException || cause instanceof LeaderNotReadyException;
  }

  /** {@link OutcomeUnknownException} for a write, {@link GroupUnavailableException} for a read. */
  StrongException notAnswered(boolean write, Throwable cause) {
    String reason = describe(cause);
    return write ? new OutcomeUnknownException(group, reason, cause) : new GroupUnavailableException(group, reason, cause);
  }

  private String describe(Throwable cause) {
    if (cause instanceof RaftRetryFailureException || cause instanceof TimeoutIOException) {
      return "no answer within " + tuning.operationTimeout().toMillis() + " ms; last attempt: "
          + Errors.oneLine(cause.getCause() == null ? cause : cause.getCause());
    }
    return Errors.oneLine(cause);
  }
}
