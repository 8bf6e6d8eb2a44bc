package kv.raft;

import kv.resp.Resp;

/**
 * Why the strong client could not answer a request: a group without quorum, a write whose
 * outcome is unknown, or a group that did not answer although a quorum seems up. The message is
 * one line for the user; {@link #respError()} is the RESP error reply with its prefix. Kept apart
 * from error replies of the commands themselves, which are normal results.
 */
public abstract sealed class StrongException extends RuntimeException
    permits NoQuorumException, OutcomeUnknownException, GroupUnavailableException {
  private static final long serialVersionUID = 1L;
  private final int group;

  StrongException(int group, String message, Throwable cause) {
    super(message, cause);
    this.group = group;
  }

  /** The group the request went to. */
  public int group() {
    return group;
  }

  /** The RESP error prefix: NOQUORUM, UNKNOWN or TRYAGAIN. */
  public abstract String prefix();

  /** The error reply for a RESP client. */
  public Resp.Error respError() {
    return new Resp.Error(prefix() + " " + getMessage());
  }
}
