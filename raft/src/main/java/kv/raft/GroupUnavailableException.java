package kv.raft;

/**
 * A read (or a request the group refused as a whole) got no answer although a majority of the
 * group's members seem up: an election that takes long, a server that does not host the group
 * (a server file that differs from the cluster's), or an overloaded leader. Retrying may work.
 */
public final class GroupUnavailableException extends StrongException {
  private static final long serialVersionUID = 1L;

  GroupUnavailableException(int group, String reason, Throwable cause) {
    super(group, "group " + group + " did not answer (" + reason + "); try again", cause);
  }

  @Override
  public String prefix() {
    return "TRYAGAIN";
  }
}
