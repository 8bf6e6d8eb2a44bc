package kv.broker.engine;

import java.util.List;
import java.util.Objects;

/**
 * LOCATE's answer: where a key lives and what each of its servers holds. In eventual mode its k
 * replicas (rendezvous hashing), each with its state and the version it answered; in strong mode
 * its Raft group, the group's leader and term, and the members with their roles. Immutable.
 *
 * @param placement how the servers were chosen, in words ({@code "rendezvous hashing, k = 2"},
 *     {@code "Raft group 3 of 4"})
 * @param group the Raft group (strong mode), or null
 * @param servers the key's replicas (or its group's members), best first
 * @param note what the engine could not tell, or null
 */
public record Location(String key, String placement, Group group, List<Replica> servers, String note) {

  public Location {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(placement, "placement");
    servers = List.copyOf(servers);
  }

  /** A server's state as the broker sees it. */
  public enum State {
    UP("UP"), DOWN("DOWN"), CATCHING_UP("catching up"), UNKNOWN("?");

    private final String text;

    State(String text) {
      this.text = text;
    }

    /** As {@code status} prints it. */
    public String text() {
      return text;
    }
  }

  /** What a replica answered for the key. */
  public enum Holds {
    /** A value, at {@code version}. */
    VALUE,
    /** A tombstone (the key was deleted), at {@code version}. */
    TOMBSTONE,
    /** Nothing: the server never saw the key (or its tombstone was purged). */
    NOTHING,
    /** Not asked (down) or no answer. */
    UNKNOWN
  }

  /**
   * One server of the key: its address, state, role in the key's group (null in eventual mode),
   * what it holds and at which version (-1 when it holds nothing or did not answer), whether that
   * is the newest version among the answers (what a read returns), and a remark (an error it
   * replied, why it was not asked), or null.
   */
  public record Replica(String address, State state, String role, Holds holds, long version, boolean newest,
      String remark) {
    public Replica {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(holds, "holds");
    }

    /** A server whose state and contents are not known. */
    public static Replica unknown(String address) {
      return new Replica(address, State.UNKNOWN, null, Holds.UNKNOWN, -1, false, null);
    }
  }

  /** The key's Raft group: its number, leader (null when none is known) and term (-1 when unknown). */
  public record Group(int id, String leader, long term) {}
}
