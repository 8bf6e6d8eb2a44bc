package kv.broker.strong;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import kv.broker.command.StatusTable;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.ServerStatus;
import kv.raft.ClientOptions;
import kv.raft.GroupLayout;
import kv.raft.GroupStatus;
import kv.raft.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The strong-mode cluster as the broker's last status probe saw it: per server whether it
 * answers, since when, which groups it leads and follows; per group its leader, term, commit
 * index, last applied index and members up. {@link #update} takes each probe's answers (and logs
 * servers going DOWN or UP and groups changing leader or losing quorum); {@link #status} is the
 * {@code status} tables and INFO's {@code # Raft} section with PySyncObj's names. No network.
 * Thread-safe.
 */
final class ClusterView {
  private static final Logger LOG = LoggerFactory.getLogger(StrongEngine.class);
  /** Group lists longer than this show as a count in the tables. */
  static final int LISTED_GROUPS = 8;
  /** A server UP before is shown DOWN once it misses this many probes in a row. */
  static final int DOWN_AFTER_MISSES = 2;

  private final GroupLayout layout;
  private final ClientOptions.ReadMode readMode;
  private final Clock clock;
  /** Last probe of every group (null before the first), whether each server answered, since when. */
  private List<GroupStatus> groups;
  private final Map<Member, Boolean> up = new HashMap<>();
  private final Map<Member, Instant> since = new HashMap<>();
  /** Probes in a row a server did not answer (one alone may be a slow machine, not a dead server). */
  private final Map<Member, Integer> missed = new HashMap<>();
  /** The last leader each group had (kept while it has none), to log changes of leader. */
  private final Map<Integer, Member> lastLeader = new HashMap<>();

  ClusterView(GroupLayout layout, ClientOptions.ReadMode readMode, Clock clock) {
    this.layout = layout;
    this.readMode = readMode;
    this.clock = clock;
  }

  /** Whether a probe has been taken in yet. */
  synchronized boolean probed() {
    return groups != null;
  }

  /** Takes in a probe of every group (in group order), logging what changed since the last. */
  synchronized void update(List<GroupStatus> probe) {
    if (probe.size() != layout.groupCount()) {
      throw new IllegalArgumentException("probe: " + probe.size() + " groups (expected: " + layout.groupCount() + ")");
    }
    Instant now = clock.instant();
    List<GroupStatus> before = groups;
    for (Member m : layout.servers()) {
      if (layout.groupsOf(m.address()).isEmpty()) {
        continue;
      }
      boolean answers = answered(probe, m);
      int misses = answers ? 0 : missed.merge(m, 1, Integer::sum);
      if (answers) {
        missed.remove(m);
      }
      Boolean was = up.get(m);
      if (!answers && was != null && was && misses < DOWN_AFTER_MISSES) {
        continue; // UP until it misses again
      }
      up.put(m, answers);
      if (was == null || was != answers) {
        since.put(m, now);
        if (answers && was != null) {
          LOG.info("server {} is UP again (it answers the Raft status probe)", m);
        } else if (!answers && was != null) {
          LOG.warn("server {} is DOWN (it answered none of the last {} Raft status probes)", m, misses);
        }
      }
    }
    for (GroupStatus g : probe) {
      if (g.leader() == null) {
        continue;
      }
      Member last = lastLeader.put(g.group(), g.leader());
      if (last == null) {
        LOG.info("group {}: leader {} (term {})", g.group(), g.leader(), g.term());
      } else if (!last.equals(g.leader())) {
        LOG.warn("group {}: new leader {} (term {}); {} led it before", g.group(), g.leader(), g.term(), last);
      }
    }
    if (before != null) {
      for (GroupStatus g : probe) {
        GroupStatus old = before.get(g.group());
        if (old.hasQuorum() && !g.hasQuorum()) {
          LOG.warn("group {} has no quorum: members down {}", g.group(), g.down());
        } else if (!old.hasQuorum() && g.hasQuorum()) {
          LOG.warn("group {} has a quorum again: members up {}", g.group(), g.up());
        }
      }
    }
    groups = List.copyOf(probe);
  }

  /**
   * The servers (rows for INFO's {@code # Servers}), the {@code # Raft} section and the tables
   * {@code status} prints: servers (state, since, groups led and followed) and groups (leader,
   * term, commit index, last applied, members up).
   */
  synchronized EngineStatus status() {
    Instant now = clock.instant();
    List<ServerStatus> rows = new ArrayList<>();
    List<List<String>> serverRows = new ArrayList<>();
    Map<String, String> raft = new LinkedHashMap<>(layout.identity().infoFields());
    raft.put("raft_read", readMode.name().toLowerCase(Locale.ROOT));
    raft.put("raft_probed", groups == null ? "0" : "1");
    int upCount = 0;
    for (int i = 0; i < layout.servers().size(); i++) {
      Member m = layout.servers().get(i);
      Roles r = roles(m);
      boolean isUp = Boolean.TRUE.equals(up.get(m));
      upCount += isUp ? 1 : 0;
      Instant from = since.get(m);
      rows.add(new ServerStatus(m.toString(), isUp, from, -1, "", false, 0));
      String state = r.hosted.isEmpty() ? "no group" : up.get(m) == null ? "?" : isUp ? "UP" : "DOWN";
      serverRows.add(List.of(m.toString(), state, from == null ? "-" : StatusTable.ago(Duration.between(from, now)),
          isUp ? r.role() : "-", list(r.led), list(r.followed)));
      raft.put("raft_server" + i, "address=" + m + ",state=" + (r.hosted.isEmpty() ? "idle" : isUp ? r.role() : "down")
          + ",groups_led=" + r.led.size() + ",groups_followed=" + r.followed.size());
    }
    List<List<String>> groupRows = new ArrayList<>();
    int withQuorum = 0;
    for (int g = 0; g < layout.groupCount(); g++) {
      GroupStatus s = groups == null ? null : groups.get(g);
      if (s == null) {
        groupRows.add(List.of(Integer.toString(g), "?", "-", "-", "-", "? of " + layout.members(g).size(), "?"));
        continue;
      }
      withQuorum += s.hasQuorum() ? 1 : 0;
      List<String> down = new ArrayList<>();
      for (Member m : layout.servers()) {
        if (s.down().contains(m)) {
          down.add(m.toString()); // in the server file's order
        }
      }
      groupRows.add(List.of(Integer.toString(g), s.leader() == null ? "none" : s.leader().toString(),
          Long.toString(s.term()), Long.toString(s.commitIndex()), Long.toString(s.lastApplied()),
          s.up().size() + " of " + s.members().size() + (down.isEmpty() ? "" : " (down: " + String.join(", ", down) + ")"),
          s.hasQuorum() ? "yes" : "NO"));
      StringBuilder line = new StringBuilder();
      s.infoFields().forEach((name, value) -> line.append(line.length() == 0 ? "" : ",").append(name).append('=')
          .append(value));
      raft.put("group" + g, line.toString());
    }
    int n = layout.servers().size();
    EngineStatus.Table servers = new EngineStatus.Table(List.of("SERVER", "STATE", "SINCE", "ROLE", "LEADER OF",
        "FOLLOWER OF"), serverRows, List.of(n + (n == 1 ? " server: " : " servers: ") + upCount + " up, "
        + (n - upCount) + " down"));
    EngineStatus.Table groupTable = new EngineStatus.Table(List.of("GROUP", "LEADER", "TERM", "COMMIT", "APPLIED",
        "MEMBERS UP", "QUORUM"), groupRows, List.of(describe(withQuorum)));
    return new EngineStatus(rows, List.of(new EngineStatus.Section("Raft", raft)), List.of(servers, groupTable));
  }

  private String describe(int withQuorum) {
    int g = layout.groupCount();
    String groupsText = g == 1 ? "1 Raft group" : g + " Raft groups";
    String quorum = groups == null ? "not probed yet" : withQuorum == g ? "all with a quorum"
        : (g - withQuorum) + " without a quorum (their keys get NOQUORUM errors)";
    return groupsText + " (k = " + layout.k() + "), " + quorum + "; reads: " + readModeText(readMode);
  }

  /** How reads are served, in words (banner and status). */
  static String readModeText(ClientOptions.ReadMode mode) {
    return mode == ClientOptions.ReadMode.LINEARIZABLE
        ? "linearizable (ReadIndex at the group's leader)"
        : "leader-local (--read local: faster, may be stale while leadership changes hands)";
  }

  /** The groups {@code m} hosts, leads and follows, as the last probe saw them. */
  private Roles roles(Member m) {
    Roles r = new Roles(layout.groupsOf(m.address()));
    if (groups == null) {
      return r;
    }
    for (int g : r.hosted) {
      for (GroupStatus.MemberStatus ms : groups.get(g).members()) {
        if (!ms.member().equals(m) || !ms.up()) {
          continue;
        }
        if ("leader".equals(ms.role())) {
          r.led.add(g);
        } else if ("follower".equals(ms.role())) {
          r.followed.add(g);
        } else {
          r.other.add(g);
        }
      }
    }
    return r;
  }

  private static final class Roles {
    final List<Integer> hosted;
    final List<Integer> led = new ArrayList<>();
    final List<Integer> followed = new ArrayList<>();
    final List<Integer> other = new ArrayList<>();

    Roles(List<Integer> hosted) {
      this.hosted = hosted;
    }

    String role() {
      if (!led.isEmpty()) {
        return "leader";
      }
      if (!followed.isEmpty()) {
        return "follower";
      }
      return other.isEmpty() ? "-" : "candidate";
    }
  }

  private static String list(List<Integer> groups) {
    if (groups.isEmpty()) {
      return "-";
    }
    if (groups.size() > LISTED_GROUPS) {
      return groups.size() + " groups";
    }
    StringBuilder b = new StringBuilder();
    for (int g : groups) {
      b.append(b.length() == 0 ? "" : ",").append(g);
    }
    return b.toString();
  }

  private static boolean answered(List<GroupStatus> probe, Member m) {
    for (GroupStatus g : probe) {
      for (GroupStatus.MemberStatus ms : g.members()) {
        if (Objects.equals(ms.member(), m) && ms.up()) {
          return true;
        }
      }
    }
    return false;
  }
}
