package kv.raft;

import java.util.List;

/**
 * A majority of the group's members did not answer, so the group can neither commit nor serve
 * linearizable reads; its keys wait until enough members are back, other groups keep working.
 * For a write the message adds that it was not acknowledged and may still apply when the group
 * recovers, and that a retry is safe.
 */
public final class NoQuorumException extends StrongException {
  private static final long serialVersionUID = 1L;
  private final transient List<Member> down;

  NoQuorumException(int group, List<Member> members, List<Member> down, boolean write) {
    super(group, message(group, members, down, write), null);
    this.down = List.copyOf(down);
  }

  /** The members that did not answer. */
  public List<Member> down() {
    return down;
  }

  @Override
  public String prefix() {
    return "NOQUORUM";
  }

  private static String message(int group, List<Member> members, List<Member> down, boolean write) {
    StringBuilder b = new StringBuilder("group ").append(group).append(" has no quorum: ").append(down.size())
        .append(" of its ").append(members.size()).append(" members are down (");
    for (int i = 0; i < down.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(down.get(i));
    }
    b.append("); its keys can be neither read nor written until a majority (").append(members.size() / 2 + 1)
        .append(") is up");
    if (write) {
      b.append(". This write was not acknowledged and may still apply when the group recovers; retrying it is safe");
    }
    return b.toString();
  }
}
