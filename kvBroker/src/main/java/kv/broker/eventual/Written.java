package kv.broker.eventual;

import java.util.ArrayList;
import java.util.List;
import kv.broker.engine.Outcome;
import kv.broker.transport.Fanout;
import kv.broker.transport.Server;
import kv.broker.transport.TransportException;
import kv.resp.Resp;

/**
 * What the replicas said to one write (VPUT or VDEL): who applied it, who held something newer
 * (and what), who did not take it (a log refusal, no answer), errors; and the PUT's or DELETE's
 * outcome from it. Not thread-safe: filled by the write's completion, then read.
 */
final class Written {
  private final ClockWatch clock;
  /** The write's own version. */
  private final long version;
  final List<Server> applied = new ArrayList<>();
  final List<Server> superseded = new ArrayList<>();
  /** Replicas that held a later write of this broker's: acknowledged, as if overwritten after. */
  final List<Server> overtaken = new ArrayList<>();
  /** The replicas that did not take the write (their log refused it, or they did not answer): hinted afterwards. */
  final List<Server> late = new ArrayList<>();
  long newest = -1;
  final List<String> errors = new ArrayList<>();
  final List<String> failures = new ArrayList<>();
  String hintError;

  Written(ClockWatch clock, long version) {
    this.clock = clock;
    this.version = version;
  }

  /**
   * One replica's answer to the write of {@code key} ({@code command}: VPUT or VDEL). A newer
   * version moves this broker's clock past it, unless it is a later write of this broker's that
   * got there first (this one is then ordered just before it: acknowledged); a log refusal
   * routes writes around the server.
   */
  void add(Fanout.Reply reply, String key, String command) {
    Resp resp = reply.resp();
    if (resp instanceof Resp.Int n && n.value() == 1) {
      applied.add(reply.server());
    } else if (resp instanceof Resp.Array stale && stale.items().size() == 2
        && stale.items().get(1) instanceof Resp.Int stored) {
      if (clock.overtook(stored.value(), version)) {
        overtaken.add(reply.server());
      } else {
        superseded.add(reply.server());
        newest = Math.max(newest, stored.value());
        clock.observe(stored.value(), key, reply.server().address());
      }
    } else if (resp instanceof Resp.Error e && e.text().startsWith(Replication.LOG_REFUSED)) {
      // Its disk filled since its last INFO: it did not take the write; hinted like a silent one.
      reply.server().logRefused(e.text());
      failures.add(reply.address() + " (" + e.text() + ")");
      late.add(reply.server());
    } else if (resp instanceof Resp.Error e) {
      errors.add("server " + reply.address() + ": " + e.text());
    } else if (resp != null) {
      errors.add("server " + reply.address() + ": unexpected reply to " + command + ": " + resp);
    } else {
      failures.add(reply.address() + " (" + TransportException.reason(reply.failure()) + ")");
      late.add(reply.server());
    }
  }

  List<Server> applied() {
    return applied;
  }

  /** The replicas that took the write: applied it, or held a newer one. */
  List<Server> took() {
    List<Server> took = new ArrayList<>(applied);
    took.addAll(superseded);
    took.addAll(overtaken);
    return took;
  }

  int acknowledged() {
    return applied.size() + superseded.size() + overtaken.size();
  }

  Outcome putOutcome(String key, long version, int k) {
    if (!errors.isEmpty()) {
      return new Outcome.Failed(errors.get(0));
    }
    if (acknowledged() > 0 && hintError != null) {
      return new Outcome.Failed(hintError);
    }
    if (!superseded.isEmpty()) {
      return new Outcome.Failed(newerWon("PUT", key, version));
    }
    return new Outcome.Written(key, acknowledged(), k);
  }

  Outcome deleteOutcome(String key, int k) {
    List<String> failed = new ArrayList<>(failures);
    failed.addAll(errors);
    if (failed.isEmpty() && superseded.isEmpty()) {
      return new Outcome.Deleted(key);
    }
    if (failed.isEmpty()) {
      return new Outcome.Failed(newerWon("DELETE", key, -1));
    }
    return new Outcome.Failed("DELETE " + key + " reached " + acknowledged() + " of " + k + " replicas; failed: "
        + String.join(", ", failed) + (hintError == null ? "" : "; " + hintError));
  }

  private String newerWon(String command, String key, long version) {
    String display = Outcome.displayKey(key);
    if (!clock.acceptable(newest)) {
      return command + " " + display + " was not applied: a replica holds version " + newest + " of it, "
          + clock.ahead(newest) + ", which writes through this broker cannot replace (a forged or corrupt"
          + " version?)";
    }
    return command + " " + display + " was not applied: a newer write won (version " + newest + " from "
        + java.time.Instant.ofEpochMilli(kv.clock.HybridLogicalClock.millisOf(newest)) + (version < 0 ? ""
        : " beat this PUT's " + version) + "; the writer's clock was ahead of this broker's). This broker's clock"
        + " has moved past it: repeat the " + command + " to replace it";
  }
}
