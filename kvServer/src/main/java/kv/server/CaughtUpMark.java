package kv.server;

/**
 * Whether a broker has said, since this server started, that it holds every write it missed
 * while down ({@code VCAUGHTUP}; INFO {@code caught_up}). Every start clears it, so a broker that
 * meets a returning server never trusts it before it was compared with its peers, even when the
 * broker that knew it was down is gone. Thread-safe.
 */
final class CaughtUpMark {
  private final String instanceId;
  private volatile boolean caughtUp;

  CaughtUpMark(String instanceId) {
    this.instanceId = instanceId;
  }

  String instanceId() {
    return instanceId;
  }

  boolean caughtUp() {
    return caughtUp;
  }

  /** Sets the mark when {@code id} is this start's instance id (a broker's word about an earlier start does not count). */
  boolean set(String id) {
    if (!instanceId.equals(id)) {
      return false;
    }
    caughtUp = true;
    return true;
  }
}
