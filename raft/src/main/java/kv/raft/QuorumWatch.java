package kv.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.client.RaftClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one group has a quorum, as its members answer a status probe (Ratis's group info
 * call to each member; one that does not answer is down). Once a probe finds a majority down,
 * the group stays "without quorum" and is probed again every {@link #PROBE_EVERY_MS} until the
 * majority is back, so requests meanwhile can fail at once. Thread-safe.
 */
final class QuorumWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuorumWatch.class);
  static final long PROBE_EVERY_MS = 500;
  static final long CONFIRM_AFTER_MS = 100;

  private final int group;
  private final List<Member> members;
  private final RaftClient admin;
  private final ScheduledExecutorService timer;
  private final Executor probes;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile GroupStatus lost;
  private volatile boolean closed;

  QuorumWatch(int group, List<Member> members, RaftClient admin, ScheduledExecutorService timer, Executor probes) {
    this.group = group;
    this.members = List.copyOf(members);
    this.admin = admin;
    this.timer = timer;
    this.probes = probes;
  }

  /** The probe that found the group without quorum, while it still is; null when it has one. */
  GroupStatus lost() {
    return lost;
  }

  /** Asks every member for its view of the group (members that do not answer are down). */
  CompletableFuture<GroupStatus> probe() {
    List<CompletableFuture<GroupStatus.MemberStatus>> answers = new ArrayList<>(members.size());
    for (Member m : members) {
      answers.add(CompletableFuture.supplyAsync(() -> MemberProbe.ask(admin, m, members), probes));
    }
    return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<GroupStatus.MemberStatus> list = new ArrayList<>(answers.size());
      for (CompletableFuture<GroupStatus.MemberStatus> a : answers) {
        list.add(a.join());
      }
      return GroupStatus.of(group, list);
    });
  }

  /**
   * {@link #probe()}, and when it finds no quorum a second probe {@link #CONFIRM_AFTER_MS} later,
   * whose answer stands: one unanswered group-info call is not proof that a member is down (a
   * member busy with an election or its log, or just restarted, may miss one), and a false "no
   * quorum" would fail every request at once.
   */
  CompletableFuture<GroupStatus> confirmedProbe() {
    return probe().thenCompose(first -> {
      if (first.hasQuorum() || closed) {
        return CompletableFuture.completedFuture(first);
      }
      Executor later = CompletableFuture.delayedExecutor(CONFIRM_AFTER_MS, TimeUnit.MILLISECONDS, probes);
      return CompletableFuture.supplyAsync(() -> null, later).thenCompose(v -> probe());
    });
  }

  /** Records that {@code status} found no quorum, and probes again until a majority is back. */
  void noQuorum(GroupStatus status) {
    if (lost == null) {
      LOG.warn("group {} has no quorum: members down {}", group, status.down());
    }
    lost = status;
    if (probing.compareAndSet(false, true)) {
      timer.schedule(this::reprobe, PROBE_EVERY_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void reprobe() {
    if (closed) {
      return;
    }
    probe().whenComplete((status, e) -> {
      if (status != null && status.hasQuorum()) {
        lost = null;
        probing.set(false);
        LOG.info("group {} has a quorum again: members up {}", group, status.up());
      } else {
        if (status != null) {
          lost = status;
        }
        if (!closed) {
          timer.schedule(this::reprobe, PROBE_EVERY_MS, TimeUnit.MILLISECONDS);
        }
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    Errors.closeQuietly(admin);
  }
}
