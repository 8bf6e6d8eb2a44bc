package kv.raft;

/**
 * A write was sent but its answer never came (the leader died or a timeout passed): it may or
 * may not have been applied. Retrying it is safe: PUT and DELETE are idempotent, and every write
 * the strong client sends carries a request id the state machine applies at most once.
 */
public final class OutcomeUnknownException extends StrongException {
  private static final long serialVersionUID = 1L;

  OutcomeUnknownException(int group, String reason, Throwable cause) {
    super(group, "write to group " + group + " has an unknown outcome (" + reason
        + "): it may or may not have been applied; retrying it is safe", cause);
  }

  @Override
  public String prefix() {
    return "UNKNOWN";
  }
}
