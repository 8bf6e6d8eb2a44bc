package kv.broker.eventual;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kv.broker.engine.Outcome;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;

/**
 * The simulation's checks against its {@link SimHistory}: during the run, a GET answers its own
 * broker's last acknowledged write or something newer; after healing, the final state of every
 * key. Violations are added to the list the simulation reports. Not thread-safe.
 */
final class SimCheck {
  private final SimHistory history;
  private final List<String> violations;
  /** Acknowledged writes no replica's disk kept (every copy was in the unsynced tail of a power cut). */
  private int lostToPowerCuts;

  SimCheck(SimHistory history, List<String> violations) {
    this.history = history;
    this.violations = violations;
  }

  int lostToPowerCuts() {
    return lostToPowerCuts;
  }

  /**
   * A GET through a broker answers its own last acknowledged write on the key, or something newer
   * (by version, as the servers order writes): the replica that acknowledged it still holds it, and
   * the ones that missed it are not believed alone. Unless a power cut may have taken it.
   */
  void readsOwnWrite(SimHistory.Op get, long lastPowerCut) {
    SimHistory.Op own = null;
    for (SimHistory.Op op : history.on(get.key)) {
      if (op.broker.equals(get.broker) && op.kind != SimHistory.Kind.GET && op.acknowledged() && op.end < get.start
          && op.version >= 0) {
        own = op;
      }
    }
    if (own == null || lastPowerCut >= own.start) {
      return;
    }
    if (get.outcome instanceof Outcome.Found found) {
      SimHistory.Op read = history.putOf(found.set());
      if (read != null && read.version >= 0 && SimHistory.wins(own.version, own.text, read.version, read.text)
          && !history.issuedAfterPurgeOf(read, own)) {
        violations.add(get + " answered an older write than its broker's own acknowledged " + own);
      }
    } else if (get.outcome instanceof Outcome.NotFound) {
      boolean deleted = own.kind == SimHistory.Kind.DELETE;
      for (SimHistory.Op op : history.on(get.key)) {
        deleted |= op.kind == SimHistory.Kind.DELETE && op.version >= 0 && !SimHistory.wins(own.version, own.text,
            op.version, null);
      }
      if (!deleted) {
        violations.add(get + " answered NotFound after its broker's own acknowledged " + own);
      }
    }
  }

  /**
   * After healing: the replicas of every key agree, hold a write someone made, nothing
   * acknowledged (that a disk kept) is lost, and the final GET answered what they hold.
   */
  void finalState(List<ServerAddress> file, int k, Function<ServerAddress, SimServer> server, List<String> keys,
      Map<String, Outcome> finalReads) {
    Placement placement = new Placement(file, k);
    for (String key : keys) {
      List<SimServer> replicas = placement.replicas(key).stream().map(server).toList();
      Map.Entry<Long, String> newest = null;
      List<String> states = new ArrayList<>();
      for (SimServer r : replicas) {
        Map.Entry<Long, String> e = r.vget(key);
        states.add(r + "=" + (e == null ? "absent" : "v" + e.getKey() + " " + e.getValue()));
        if (e != null && (newest == null || SimHistory.wins(e.getKey(), e.getValue(), newest.getKey(), newest.getValue()))) {
          newest = e;
        }
      }
      for (SimServer r : replicas) {
        Map.Entry<Long, String> e = r.vget(key);
        boolean deleted = e == null || e.getValue() == null;
        boolean same = newest == null ? deleted
            : newest.getValue() == null ? deleted : e != null && e.equals(newest);
        if (!same) {
          violations.add(key + ": the replicas disagree after healing: " + states);
          break;
        }
      }
      checkAgainstHistory(key, replicas, newest, states, finalReads.get(key));
    }
  }

  private void checkAgainstHistory(String key, List<SimServer> replicas, Map.Entry<Long, String> newest,
      List<String> states, Outcome read) {
    SimHistory.Op last = null;
    SimHistory.Op newestDelete = null;
    for (SimHistory.Op op : history.on(key)) {
      if (op.kind == SimHistory.Kind.DELETE && op.version >= 0
          && (newestDelete == null || op.version > newestDelete.version)) {
        newestDelete = op;
      }
      if (!op.acknowledged() || op.version < 0) {
        continue;
      }
      boolean survives = replicas.stream().anyMatch(r -> r.logged(key, op.version, op.text));
      if (!survives) {
        lostToPowerCuts++;
      }
      if (survives && (last == null || SimHistory.wins(op.version, op.text, last.version, last.text))) {
        last = op;
      }
    }
    if (newest == null) {
      if (last != null && (newestDelete == null || newestDelete.version < last.version)) {
        violations.add(key + ": acknowledged " + last + " is lost: no replica holds anything (" + states + ")");
      }
    } else {
      SimHistory.Op holder = newest.getValue() == null ? null : history.putOf(newest.getValue());
      if (last != null && SimHistory.wins(last.version, last.text, newest.getKey(), newest.getValue())
          && !(holder != null && history.issuedAfterPurgeOf(holder, last))) {
        violations.add(key + ": acknowledged " + last + " is lost" + (last.kind == SimHistory.Kind.DELETE
            ? " (the deleted record is back)" : "") + ": the replicas hold " + states);
      }
      if (newest.getValue() != null) {
        SimHistory.Op writer = history.putOf(newest.getValue());
        if (writer == null || writer.version != newest.getKey()) {
          violations.add(key + ": the replicas hold a value no PUT wrote at that version: " + states);
        }
      }
    }
    Outcome expected = newest == null || newest.getValue() == null ? new Outcome.NotFound(key)
        : new Outcome.Found(key, newest.getValue());
    if (!expected.equals(read)) {
      violations.add(key + ": the final GET answered " + read + ", the replicas hold " + states);
    }
  }

}
