package kv.server;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;
import kv.metrics.ErrorKinds;
import kv.metrics.RequestMeters;
import kv.resp.Resp;
import kv.server.durable.DurableLog;

/**
 * The server's Prometheus metrics in a registry of its own: requests and their latency per
 * command and error answers by kind (counted by the connection layer), and, read when scraped,
 * clients, records, tombstones, appends, the log's bytes, compactions and writability, clients
 * closed for limits and, in strong mode, each hosted Raft group. Thread-safe.
 */
final class ServerMetrics {
  /*
   * Hot path: RequestRecorder calls request(command, reply, nanos) once per request. The meter
   * for a command comes from an immutable map filled with every name of the command table when
   * the server starts (RequestMeters), so a request costs a map lookup, a counter and a histogram
   * update, and an error reply's kind a lookup more; no label strings are built.
   * Everything else is read from the server's own counters when Prometheus scrapes, so it costs
   * nothing between scrapes.
   */
  /** The commands whose series are there before their first request. */
  private static final List<String> EAGER = List.of("GET", "QUERY", "PUT", "DELETE");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final RequestMeters requests;
  private final ErrorKinds errors;

  ServerMetrics(CommandTable table, ServerStats stats, Store store, StrongBackend strong) {
    requests = new RequestMeters(registry, "kv", table.specs().keySet(), EAGER);
    errors = new ErrorKinds(registry, "kv", "Error replies", "ERR", "NOAUTH", "NOPERM", "WRONGPASS");
    Info.builder().name("kv_server_info").help("This kvServer: its version, instance id (new at each start) and mode")
        .labelNames("version", "instance_id", "mode").register(registry)
        .addLabelValues(KvServer.VERSION, stats.instanceId(), strong == null ? "eventual" : "strong");
    gauge("kv_start_time_seconds", "When this server started (Unix time)", Unit.SECONDS,
        () -> stats.startMillis() / 1000.0);
    gauge("kv_connected_clients", "Connections open now, the cluster's included", null, () -> stats.connectedClients());
    gauge("kv_cluster_connections", "Connections authenticated as the cluster's user", null,
        () -> stats.clusterConnections());
    counter("kv_connections_received_total", "Connections accepted since start", () -> stats.totalConnections());
    counter("kv_connections_rejected_total", "Connections refused for --max-clients", () -> stats.rejectedConnections());
    counter("kv_clients_closed_for_limits_total", "Connections closed for passing a limit (pending request bytes,"
        + " unread replies, idle or request timeout)", () -> stats.closedForLimits());
    gauge("kv_pending_request_bytes", "Bytes held by partially received requests", Unit.BYTES,
        () -> stats.pendingRequestBytes());
    gauge("kv_unsent_reply_bytes", "Bytes of replies written but not yet taken by the clients' sockets", Unit.BYTES,
        () -> stats.unsentReplyBytes());
    if (strong == null) {
      gauge("kv_records", "Keys with a value", null, () -> store.liveCount());
      gauge("kv_tombstones", "Deleted keys whose versioned tombstone is kept", null, () -> store.tombstoneCount());
      gauge("kv_append_entries", "Stored APPEND entries not yet folded by a PUT or DELETE of their key", null,
          () -> store.appendCount());
      DurableLog log = store.durableLog();
      if (log != null) {
        gauge("kv_log_bytes", "Bytes of the write log since the last snapshot", Unit.BYTES, () -> log.stats().logBytes());
        gauge("kv_snapshot_bytes", "Bytes of the newest snapshot", Unit.BYTES, () -> log.stats().snapshotBytes());
        counter("kv_compactions_total", "Compactions of the log into a snapshot since start",
            () -> log.stats().compactions());
        gauge("kv_log_writable", "1 while the log accepts writes, 0 while they are refused (a full disk, or for good"
            + " after a failed fsync)", null, () -> log.stats().writable() ? 1 : 0);
      }
    } else {
      gauge("kv_records", "Records in this server's replicas of its Raft groups", null, () -> strong.localRecords());
      raft(strong);
    }
  }

  /** The registry the metrics endpoint serves. */
  PrometheusRegistry registry() {
    return registry;
  }

  /** One request answered with {@code reply} after {@code nanos}. */
  void request(String command, Resp reply, long nanos) {
    requests.meter(command).observe(nanos);
    if (reply instanceof Resp.Error e) {
      errors.count(e.text());
    }
  }

  /** A protocol error that closed a connection (it answers no request). */
  void protocolError() {
    errors.countKind("PROTOCOL");
  }

  /* One scrape asks the groups once for all the kv_raft_* series (the probe takes up to a second). */
  private void raft(StrongBackend backend) {
    GroupsOnce strong = new GroupsOnce(backend);
    GaugeWithCallback.builder().name("kv_raft_state")
        .help("This server's role in each Raft group it hosts: 1 for the current role (leader, follower, candidate)")
        .labelNames("group", "role")
        .callback(cb -> {
          List<StrongBackend.GroupView> groups = strong.groups();
          for (StrongBackend.GroupView g : groups) {
            String group = Integer.toString(g.group());
            for (String role : new String[] {"leader", "follower", "candidate"}) {
              cb.call(role.equals(g.role()) ? 1 : 0, group, role);
            }
          }
        }).register(registry);
    groupGauge("kv_raft_term", "The Raft term this server is in, per group", StrongBackend.GroupView::term, strong);
    groupGauge("kv_raft_commit_index", "The highest log index this server knows committed, per group",
        StrongBackend.GroupView::commitIndex, strong);
    groupGauge("kv_raft_last_applied_index", "The highest log index applied to this server's state machine, per group",
        StrongBackend.GroupView::lastApplied, strong);
    groupGauge("kv_raft_snapshot_index", "The log index of this server's newest snapshot, per group",
        StrongBackend.GroupView::snapshotIndex, strong);
    groupGauge("kv_raft_has_quorum", "1 while a majority of the group's members answers, per group",
        g -> g.hasQuorum() ? 1 : 0, strong);
    groupGauge("kv_raft_members", "Members of the group", StrongBackend.GroupView::members, strong);
    groupGauge("kv_raft_members_up", "Members of the group that answer", StrongBackend.GroupView::membersUp, strong);
    groupGauge("kv_raft_records", "Records in this server's replica of the group", StrongBackend.GroupView::records,
        strong);
  }

  private void groupGauge(String name, String help, ToDoubleFunction<StrongBackend.GroupView> value,
      GroupsOnce strong) {
    GaugeWithCallback.builder().name(name).help(help).labelNames("group")
        .callback(cb -> {
          for (StrongBackend.GroupView g : strong.groups()) {
            cb.call(value.applyAsDouble(g), Integer.toString(g.group()));
          }
        }).register(registry);
  }

  private void gauge(String name, String help, Unit unit, DoubleSupplier value) {
    GaugeWithCallback.Builder b = GaugeWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(value.getAsDouble()));
    if (unit != null) {
      b.unit(unit);
    }
    b.register(registry);
  }

  private void counter(String name, String help, DoubleSupplier value) {
    CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }

  /**
   * The groups as one scrape sees them: asked at most once in {@link #FRESH_NANOS}, so the
   * kv_raft_* series of a scrape come from one probe.
   */
  private static final class GroupsOnce {
    static final long FRESH_NANOS = 500_000_000L;
    private final StrongBackend backend;
    private List<StrongBackend.GroupView> groups;
    private long at;

    GroupsOnce(StrongBackend backend) {
      this.backend = backend;
    }

    synchronized List<StrongBackend.GroupView> groups() {
      long now = System.nanoTime();
      if (groups == null || now - at > FRESH_NANOS) {
        groups = backend.groups();
        at = System.nanoTime();
      }
      return groups;
    }
  }
}
