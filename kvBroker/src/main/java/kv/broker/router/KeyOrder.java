package kv.broker.router;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The order of one connection's commands, as Redis keeps it: a command starts only once the
 * connection's earlier commands on its keys have completed (several reads of a key run
 * together), so its effect, and the version an engine gives a write, come after theirs;
 * commands on other keys run concurrently. A command on the whole key space (KEYS, SCAN, DBSIZE)
 * starts once every earlier command has completed, and holds back every later one. Confined to the connection's event loop; not thread-safe.
 */
final class KeyOrder {
  /*
   * Cost: `busy` holds only the keys that have commands running or held, so a connection whose
   * pipelined commands touch distinct keys pays one map insert when a command starts and one
   * removal when it completes; nothing is held and no list is walked. A held command is re-checked
   * only when a command on one of its keys, or a whole-key-space one, completes; the re-check walks
   * the held commands in arrival order (at most the connection's outstanding limit), recounting
   * them, so an earlier held command always goes first and none waits for a later one.
   *
   * Re-entrance: starting a command may complete it at once (an engine that answers from memory),
   * which calls done() from inside the walk; that walk then runs once more instead of nesting.
   */

  /** How a command touches its keys. */
  enum Mode {
    /** Reads its keys: runs beside other reads of them. */
    READ,
    /** Writes its keys: runs alone on them. */
    WRITE,
    /** The whole key space: runs alone on the connection. */
    ALL
  }

  /** One command's place in the order; {@link #done} gives it back. */
  static final class Ticket {
    private final List<String> keys;
    private final Mode mode;
    private final Consumer<Ticket> start;
    private boolean started;
    private boolean finished;

    private Ticket(List<String> keys, Mode mode, Consumer<Ticket> start) {
      this.keys = keys;
      this.mode = mode;
      this.start = start;
    }

    boolean started() {
      return started;
    }
  }

  /** Commands running on a key, and held ones waiting for it. */
  private static final class Busy {
    int reads;
    int writes;
    int held;

    boolean idle() {
      return reads == 0 && writes == 0 && held == 0;
    }
  }

  private final Map<String, Busy> busy = new HashMap<>();
  private final ArrayDeque<Ticket> held = new ArrayDeque<>();
  private int running;
  private int allRunning;
  private int allHeld;
  private boolean walking;
  private boolean walkAgain;

  /**
   * Runs {@code start} (given its ticket) now if no earlier command of the connection is in its
   * way, else once they have completed; {@code start} must lead to a {@link #done} of the ticket,
   * or {@link #abandon} when it is given up.
   */
  Ticket admit(List<String> keys, Mode mode, Consumer<Ticket> start) {
    Ticket ticket = new Ticket(keys, mode, start);
    if (blocked(ticket, held.size())) {
      held.add(ticket);
      count(ticket, true);
    } else {
      begin(ticket);
    }
    return ticket;
  }

  /** The command of {@code ticket} has completed (a second call does nothing). */
  void done(Ticket ticket) {
    if (ticket.finished || !ticket.started) {
      return;
    }
    ticket.finished = true;
    running--;
    boolean wakes = allHeld > 0 || ticket.mode == Mode.ALL;
    if (ticket.mode == Mode.ALL) {
      allRunning--;
    } else {
      for (String key : ticket.keys) {
        Busy b = busy.get(key);
        if (ticket.mode == Mode.WRITE) {
          b.writes--;
        } else {
          b.reads--;
        }
        wakes |= b.held > 0;
        if (b.idle()) {
          busy.remove(key);
        }
      }
    }
    if (wakes && !held.isEmpty()) {
      walk();
    }
  }

  /**
   * Gives {@code ticket} up (its answer timed out): a held command is dropped and never starts; a
   * running one stops holding its keys, so a lost answer cannot stall the connection's later
   * commands on them.
   */
  void abandon(Ticket ticket) {
    if (ticket.started) {
      done(ticket);
    } else if (!ticket.finished) {
      ticket.finished = true;
      held.remove(ticket);
      count(ticket, false);
      walk();
    }
  }

  /** Commands waiting for earlier ones. */
  int held() {
    return held.size();
  }

  /** Keys with commands running or held (for tests: empty once everything completed). */
  int busyKeys() {
    return busy.size();
  }

  private boolean blocked(Ticket ticket, int heldBefore) {
    if (allRunning > 0 || allHeld > 0) {
      return true;
    }
    if (ticket.mode == Mode.ALL) {
      return running > 0 || heldBefore > 0;
    }
    for (String key : ticket.keys) {
      Busy b = busy.get(key);
      if (b != null && (b.writes > 0 || b.held > 0 || (ticket.mode == Mode.WRITE && b.reads > 0))) {
        return true;
      }
    }
    return false;
  }

  private void begin(Ticket ticket) {
    ticket.started = true;
    running++;
    if (ticket.mode == Mode.ALL) {
      allRunning++;
    } else {
      for (String key : ticket.keys) {
        Busy b = busy.computeIfAbsent(key, k -> new Busy());
        if (ticket.mode == Mode.WRITE) {
          b.writes++;
        } else {
          b.reads++;
        }
      }
    }
    ticket.start.accept(ticket);
  }

  /** Adds ({@code hold}) or removes a held ticket's marks on its keys. */
  private void count(Ticket ticket, boolean hold) {
    int delta = hold ? 1 : -1;
    if (ticket.mode == Mode.ALL) {
      allHeld += delta;
      return;
    }
    for (String key : ticket.keys) {
      Busy b = hold ? busy.computeIfAbsent(key, k -> new Busy()) : busy.get(key);
      b.held += delta;
      if (b.idle()) {
        busy.remove(key);
      }
    }
  }

  /** Starts, in arrival order, every held command that nothing earlier is in the way of any more. */
  private void walk() {
    if (walking) {
      walkAgain = true;
      return;
    }
    walking = true;
    try {
      do {
        walkAgain = false;
        for (Ticket ticket : held) {
          count(ticket, false);
        }
        int before = 0;
        for (Iterator<Ticket> it = held.iterator(); it.hasNext(); ) {
          Ticket ticket = it.next();
          if (blocked(ticket, before)) {
            count(ticket, true);
            before++;
          } else {
            it.remove();
            begin(ticket);
          }
        }
      } while (walkAgain);
    } finally {
      walking = false;
    }
  }
}
