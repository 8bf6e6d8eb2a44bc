package kv.broker.ops;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.ServerStatus;
import kv.metrics.ErrorKinds;
import kv.metrics.RequestMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's Prometheus metrics, in a registry of its own: engine operations and their latency
 * by operation and front end, failed answers by kind, connected clients per front end and, read
 * from the engine's status when scraped, the servers' states, records and hints held, the
 * catch-up's counters (read repairs, hints replayed, records copied by resyncs, tombstones
 * purged) and, for a strong engine, each Raft group. Server state changes are counted by
 * {@link #sample}, which a timer calls every second. Thread-safe.
 */
public final class BrokerMetrics {
  /** The operations a front end asks the engine for (MeteredEngine's names). */
  static final List<String> OPERATIONS = List.of("GET", "QUERY", "PUT", "DELETE", "LOCATE", "SETVALUE", "APPEND",
      "KEYS_PAGE");
  /* The eventual engine's catch-up counters (EngineStatus section "Catch-up") and their series. */
  private static final Map<String, String[]> CATCH_UP = new LinkedHashMap<>();

  static {
    CATCH_UP.put("read_repairs", new String[] {"kv_broker_read_repairs_total",
        "Stale replicas updated after a read found a newer version elsewhere"});
    CATCH_UP.put("hints_replayed", new String[] {"kv_broker_hints_replayed_total",
        "Missed writes (hints) replayed to servers that came back"});
    CATCH_UP.put("resync_records_copied", new String[] {"kv_broker_resync_records_copied_total",
        "Records copied to servers by resyncs"});
    CATCH_UP.put("tombstones_purged", new String[] {"kv_broker_tombstones_purged_total",
        "Tombstones purged from every replica after the grace period"});
  }

  private static final Logger log = LoggerFactory.getLogger(BrokerMetrics.class);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final RequestMeters requests;
  private final ErrorKinds errors;
  private final RequestRates rates = new RequestRates();
  private final Engine engine;
  private final Map<FrontEnd, LongSupplier> clients = new ConcurrentHashMap<>();
  private final StateChanges changes = new StateChanges();

  /** @param mode the engine's consistency mode, {@code eventual} or {@code strong} */
  public BrokerMetrics(Engine engine, String mode, String version) {
    this.engine = engine;
    List<String> frontEnds = new ArrayList<>();
    for (FrontEnd f : FrontEnd.values()) {
      frontEnds.add(f.label());
    }
    requests = new RequestMeters(registry, "kv_broker", OPERATIONS, List.of("GET", "QUERY", "PUT", "DELETE"),
        "frontend", frontEnds);
    errors = new ErrorKinds(registry, "kv_broker", "Failed answers", "CLUSTERDOWN", "TRYAGAIN", "ERR");
    Info.builder().name("kv_broker_info").help("This kvBroker: its version and consistency mode")
        .labelNames("version", "mode").register(registry).addLabelValues(version, mode);
    GaugeWithCallback.builder().name("kv_broker_connected_clients").help("Clients connected now, per front end")
        .labelNames("frontend").callback(cb -> clients.forEach((f, n) -> cb.call(n.getAsLong(), f.label())))
        .register(registry);
    GaugeWithCallback.builder().name("kv_broker_servers").help("Servers in the server file by state as the broker"
        + " sees them: up (and trusted), catching_up (up, being brought up to date), down")
        .labelNames("state").callback(cb -> {
          long up = 0;
          long catching = 0;
          long down = 0;
          for (ServerStatus s : engine.status().servers()) {
            if (!s.up()) {
              down++;
            } else if (s.catchingUp()) {
              catching++;
            } else {
              up++;
            }
          }
          cb.call(up, "up");
          cb.call(catching, "catching_up");
          cb.call(down, "down");
        }).register(registry);
    perServer("kv_broker_server_up", "1 while the failure detector sees the server UP", s -> s.up() ? 1 : 0);
    perServer("kv_broker_server_records", "Records the server reported in its last INFO",
        s -> s.records() < 0 ? Double.NaN : s.records());
    perServer("kv_broker_hints", "Missed writes the broker holds for the server (NaN: too many, it will be resynced)",
        s -> s.hints() < 0 ? Double.NaN : s.hints());
    CounterWithCallback.builder().name("kv_broker_server_state_changes_total")
        .help("Changes of a server's state (to up, down, catching_up) seen by the broker's once-a-second look at its"
            + " failure detector")
        .labelNames("server", "to").callback(cb -> changes.counts().forEach((k, n) -> cb.call(n.get(), k.get(0),
            k.get(1)))).register(registry);
    CATCH_UP.forEach((name, series) -> CounterWithCallback.builder().name(series[0]).help(series[1])
        .callback(cb -> {
          Long v = sectionValue("Catch-up", name);
          if (v != null) {
            cb.call(v);
          }
        }).register(registry));
    GaugeWithCallback.builder().name("kv_broker_tombstone_purges_pending")
        .help("Deletes whose tombstones wait for their grace period before they are purged")
        .callback(cb -> {
          Long v = sectionValue("Catch-up", "tombstone_purges_pending");
          if (v != null) {
            cb.call(v);
          }
        }).register(registry);
    RaftGroupsMetrics.register(registry, engine);
  }

  /** The registry {@code GET /metrics} serves. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The status page's per-second request counts. */
  public RequestRates rates() {
    return rates;
  }

  /** Reports the clients {@code frontEnd} has connected now, read at each scrape. */
  public void clients(FrontEnd frontEnd, LongSupplier connected) {
    clients.put(frontEnd, connected);
  }

  /** The engine as {@code frontEnd} should see it: counted here. */
  public Engine engineFor(FrontEnd frontEnd) {
    return new MeteredEngine(engine, this, frontEnd);
  }

  /** One operation answered after {@code nanos}; {@code errorKind} null for an answer. */
  void answered(String operation, FrontEnd frontEnd, long nanos, String errorKind) {
    requests.meter(operation, frontEnd.ordinal()).observe(nanos);
    rates.count(operation);
    if (errorKind != null) {
      errors.countKind(errorKind);
    }
  }

  /** Once a second: closes the second of the request rates and counts server state changes. */
  public void sample(long nowMillis) {
    rates.tick(nowMillis);
    try {
      changes.see(engine.status().servers());
    } catch (RuntimeException e) {
      log.debug("server states not sampled: {}", e.toString()); // e.g. the engine is closing
    }
  }

  private Long sectionValue(String title, String name) {
    for (EngineStatus.Section section : engine.status().sections()) {
      if (section.title().equals(title) && section.values().containsKey(name)) {
        try {
          return Long.parseLong(section.values().get(name));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  private void perServer(String name, String help, ToDoubleFunction<ServerStatus> value) {
    GaugeWithCallback.builder().name(name).help(help).labelNames("server").callback(cb -> {
      for (ServerStatus s : engine.status().servers()) {
        cb.call(value.applyAsDouble(s), s.address());
      }
    }).register(registry);
  }

  /**
   * Each server's state as last seen, and how often it changed: a change of state, or of
   * {@code since} without one (the server went away and came back between two looks), counts.
   */
  static final class StateChanges {
    private final Map<String, ServerStatus> last = new LinkedHashMap<>();
    private final Map<List<String>, AtomicLong> counts = new ConcurrentHashMap<>();

    synchronized void see(List<ServerStatus> servers) {
      for (ServerStatus now : servers) {
        ServerStatus before = last.put(now.address(), now);
        if (before == null) {
          continue;
        }
        String was = state(before);
        String is = state(now);
        if (!was.equals(is)) {
          count(now.address(), is);
        } else if (now.since() != null && !now.since().equals(before.since())) {
          count(now.address(), was.equals("up") ? "down" : "up");
          count(now.address(), is);
        }
      }
    }

    private void count(String server, String to) {
      counts.computeIfAbsent(List.of(server, to), k -> new AtomicLong()).incrementAndGet();
    }

    Map<List<String>, AtomicLong> counts() {
      return counts;
    }

    private static String state(ServerStatus s) {
      return !s.up() ? "down" : s.catchingUp() ? "catching_up" : "up";
    }
  }
}
