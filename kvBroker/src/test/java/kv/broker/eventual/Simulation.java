package kv.broker.eventual;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.Outcome;
import kv.broker.engine.ServerStatus;
import kv.cluster.ServerAddress;
import kv.record.RecordParser;

/**
 * One seeded run of the eventual engine in a simulated world ({@link SimScheduler},
 * {@link SimNetwork}, {@link SimServer}): a random cluster, a random schedule of client operations
 * (several in flight per broker, pipelined on its connections), server crashes (SIGKILL or power
 * cut) and restarts, full disks, broker kills and restarts with new node ids, clock skew between
 * brokers, a server-file change, compactions and tombstone purges; then everything is healed and
 * checked against the {@link SimHistory}. The same seed gives the same run. Not thread-safe.
 */
final class Simulation {
  private static final long MS = 1_000_000L;

  /** The outcome: the violations found (none: the run passed), the schedule that led there, a summary. */
  record Result(long seed, List<String> violations, List<String> schedule, String summary) {
    boolean passed() {
      return violations.isEmpty();
    }
  }

  /** One simulated broker process. */
  private final class Broker {
    final String name;
    final SimScheduler.Owner owner;
    final EventualEngine engine;
    final int nodeId;
    long skewMillis;

    Broker(String name, int nodeId, long skewMillis) {
      this.name = name;
      this.nodeId = nodeId;
      this.skewMillis = skewMillis;
      this.owner = time.new Owner(name);
      BrokerConfig config = BrokerConfig.of(file, "the simulation's server file", k).with(c -> {
        c.nodeId = nodeId;
        c.timeout = Duration.ofMillis(1500);
        c.heartbeatInterval = Duration.ofMillis(500);
        c.infoInterval = Duration.ofSeconds(2);
        c.minBackoff = Duration.ofMillis(100);
        c.maxBackoff = Duration.ofSeconds(2);
        c.tombstoneGrace = Duration.ofMillis(graceMillis);
      });
      this.engine = EventualEngine.open(config, network.connector(name, owner), owner, () -> { },
          () -> time.millis() + this.skewMillis, time::nanos);
    }

    void kill() {
      owner.kill();
      network.killed(name);
      history.forget(name);
    }
  }

  private final long seed;
  private final Random random;
  /** Simulated time starts at a realistic wall-clock time (2023-11-14), so versions look like real ones. */
  private static final long EPOCH_MILLIS = 1_700_000_000_000L;
  private final SimScheduler time = new SimScheduler(EPOCH_MILLIS * MS);
  private final SimHistory history = new SimHistory();
  private final SimNetwork network;
  private final List<SimServer> servers = new ArrayList<>();
  private final List<String> schedule = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final SimCheck checks = new SimCheck(history, violations);
  private final List<String> keys = new ArrayList<>();
  private final List<Broker> brokers = new ArrayList<>();
  /** Keys no client touches until then (after some DELETEs, so that the purge's grace can pass). */
  private final Map<String, Long> quietUntil = new java.util.HashMap<>();
  private List<ServerAddress> file;
  private final int k;
  private final long graceMillis;
  private final long durationMillis;
  private int brokerCount;
  private boolean fileChanged;
  /** Whether storms alternate with calm spells (most seeds) or the whole run is a storm. */
  private final boolean calmSpells;

  Simulation(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    this.network = new SimNetwork(time, new Random(seed * 31 + 7), history::sent);
    int n = 3 + random.nextInt(3);
    this.k = 2 + (n > 3 && random.nextBoolean() ? 1 : 0);
    // The grace obeys the README's rule: longer than the clock skew between brokers (up to 6 s
    // here) plus the longest time a write stays in flight (a stall of up to 3 s). Below it a purge
    // may let a late write undo a DELETE (seeds 7159 and 11789 did, with 2 s): a documented limit.
    this.graceMillis = 10_000 + random.nextInt(8000);
    this.durationMillis = 20_000 + random.nextInt(40_000);
    this.calmSpells = random.nextInt(4) != 0;
    for (int i = 0; i <= n; i++) { // one more: the server a server-file change adds
      ServerAddress address = new ServerAddress("10.0.0." + (i + 1), 9001 + i);
      long skew = random.nextInt(200) - 100;
      servers.add(new SimServer(address, () -> time.millis() + skew, history::purged));
    }
    for (SimServer s : servers) {
      network.add(s);
    }
    this.file = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      file.add(servers.get(i).address);
    }
    int keyCount = 4 + random.nextInt(12);
    for (int i = 0; i < keyCount; i++) {
      keys.add("k" + i);
    }
  }

  private void log(String event) {
    schedule.add(String.format(Locale.ROOT, "%9.3f %s", (time.millis() - EPOCH_MILLIS) / 1000.0, event));
  }

  Result run() {
    log("seed " + seed + ": " + file.size() + " servers, k = " + k + ", " + keys.size() + " keys, grace "
        + graceMillis + " ms, " + durationMillis + " ms of schedule");
    for (ServerAddress a : file) {
      server(a).start();
    }
    time.at(1000 * MS, null, this::fsyncEverySecond);
    int brokersAtOnce = 2 + random.nextInt(2);
    for (int i = 0; i < brokersAtOnce; i++) {
      brokers.add(startBroker());
    }
    long end = time.nanos() + durationMillis * MS;
    while (time.nanos() < end && violations.isEmpty()) {
      time.runUntil(time.nanos() + (long) (-Math.log(1 - random.nextDouble()) * 150 * MS));
      step();
    }
    heal();
    if (violations.isEmpty()) {
      checks.finalState(file, k, this::server, keys, finalReads);
    }
    for (Throwable t : time.failures()) {
      violations.add("a task threw: " + t);
    }
    return new Result(seed, violations, schedule, summary());
  }

  private SimServer server(ServerAddress address) {
    for (SimServer s : servers) {
      if (s.address.equals(address)) {
        return s;
      }
    }
    throw new IllegalArgumentException("server: " + address);
  }

  private List<SimServer> inFile() {
    List<SimServer> list = new ArrayList<>();
    for (ServerAddress a : file) {
      list.add(server(a));
    }
    return list;
  }

  private void fsyncEverySecond() {
    for (SimServer s : servers) {
      if (s.up()) {
        s.sync();
      }
    }
    time.at(1000 * MS, null, this::fsyncEverySecond);
  }

  private Broker startBroker() {
    String name = "b" + (++brokerCount);
    int nodeId = random.nextInt(4); // few ids: equal versions from two brokers happen
    long skew = random.nextInt(6001) - 3000;
    log("start broker " + name + " (node id " + nodeId + ", clock " + skew + " ms off)");
    return new Broker(name, nodeId, skew);
  }

  /**
   * One random event of the schedule. Every 10 s the weather changes: in a storm servers crash,
   * brokers die and disks fill; in a calm spell only clients, restarts and freed disks, so that
   * the cluster settles now and then and tombstones get purged.
   */
  private void step() {
    boolean calm = (time.millis() - EPOCH_MILLIS) / 10_000 % 2 == 1 && calmSpells;
    int dice = random.nextInt(1000);
    if (calm && dice >= 700 && dice < 935) {
      SimServer s = inFile().get(random.nextInt(file.size()));
      if (!s.up()) {
        s.start();
        log("restart " + s + " (instance " + s.instanceId() + ")");
      } else if (s.full()) {
        s.full(false);
        log("disk of " + s + " has room again");
      }
      return;
    }
    if (dice < 700) {
      clientOps();
    } else if (dice < 760) {
      crashServer();
    } else if (dice < 840) {
      restartServer();
    } else if (dice < 865) {
      Broker victim = brokers.remove(random.nextInt(brokers.size()));
      log("SIGKILL broker " + victim.name);
      victim.kill();
      brokers.add(startBroker());
    } else if (dice < 890) {
      Broker b = brokers.get(random.nextInt(brokers.size()));
      b.skewMillis = random.nextInt(6001) - 3000;
      log("clock of " + b.name + " now " + b.skewMillis + " ms off");
    } else if (dice < 910) {
      SimServer s = inFile().get(random.nextInt(file.size()));
      s.full(!s.full());
      log("disk of " + s + (s.full() ? " full" : " has room again"));
    } else if (dice < 930) {
      SimServer s = inFile().get(random.nextInt(file.size()));
      if (s.up()) {
        s.compact();
        log("compaction on " + s);
      }
    } else if (dice < 935 && !fileChanged) {
      changeServerFile();
    }
  }

  /** 1 to 4 operations at once on one broker (pipelined on its connections), each on a key it has nothing in flight on. */
  private void clientOps() {
    Broker b = brokers.get(random.nextInt(brokers.size()));
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      String key = keys.get(random.nextInt(keys.size()));
      if (history.busy(b.name, key) || quietUntil.getOrDefault(key, 0L) > time.nanos()) {
        continue;
      }
      int what = random.nextInt(100);
      SimHistory.Kind kind = what < 50 ? SimHistory.Kind.PUT : what < 80 ? SimHistory.Kind.GET : SimHistory.Kind.DELETE;
      SimHistory.Op op = history.begin(b.name, kind, key, time.millis());
      CompletableFuture<Outcome> result;
      try {
        result = switch (kind) {
          case PUT -> b.engine.put(new RecordParser().parseRecord(key + " : " + op.text));
          case GET -> b.engine.get(key);
          case DELETE -> b.engine.delete(key);
        };
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      result.whenComplete((outcome, error) -> {
        history.end(op, error != null ? Outcome.Failed.of(error) : outcome, time.millis());
        log(op.toString());
        if (outcome instanceof Outcome.Deleted && random.nextBoolean()) {
          quietUntil.put(key, time.nanos() + (graceMillis + 3000) * MS); // left alone: its tombstones get purged
        }
        if (outcome instanceof Outcome.Found found && history.putOf(found.set()) == null) {
          violations.add("GET " + key + " answered a value no PUT wrote: " + found.set());
        }
        if (kind == SimHistory.Kind.GET) {
          checks.readsOwnWrite(op, lastPowerCut);
        }
      });
    }
  }

  private void crashServer() {
    List<SimServer> up = inFile().stream().filter(SimServer::up).toList();
    if (up.isEmpty()) {
      return;
    }
    SimServer s = up.get(random.nextInt(up.size()));
    boolean power = random.nextInt(100) < 40;
    int lost = s.crash(power, random);
    if (power) {
      lastPowerCut = time.millis();
    }
    network.crashed(s.address);
    log((power ? "power cut on " : "SIGKILL ") + s + (power ? " (" + lost + " unsynced log entries lost)" : ""));
  }

  private void restartServer() {
    List<SimServer> down = inFile().stream().filter(s -> !s.up()).toList();
    if (down.isEmpty()) {
      return;
    }
    SimServer s = down.get(random.nextInt(down.size()));
    s.start();
    log("restart " + s + " (instance " + s.instanceId() + ")");
  }

  /** A server joins: every broker is stopped, the server file changes, the brokers start with the new one. */
  private void changeServerFile() {
    fileChanged = true;
    SimServer added = servers.get(servers.size() - 1);
    for (Broker b : brokers) {
      b.kill();
    }
    int count = brokers.size();
    brokers.clear();
    file.add(added.address);
    added.start();
    log("server file changed: " + added + " added; every broker restarts with it");
    for (int i = 0; i < count; i++) {
      brokers.add(startBroker());
    }
  }

  /** Every server of the file UP with room on its disk, one fresh broker, until it is all caught up. */
  private void heal() {
    log("heal: every server up with room, every broker stopped, one new broker");
    for (Broker b : brokers) {
      b.kill();
    }
    brokers.clear();
    for (SimServer s : inFile()) {
      s.full(false);
      if (!s.up()) {
        s.start();
      }
    }
    network.calm();
    time.runUntil(time.nanos() + 5000 * MS); // what the stopped brokers had sent arrives (delays are at most 3 s)
    Broker healer = startBroker();
    healer.skewMillis = 0;
    brokers.add(healer);
    long deadline = time.nanos() + 600_000 * MS;
    while (time.nanos() < deadline && !converged(healer)) {
      time.runUntil(time.nanos() + 1000 * MS);
    }
    if (!converged(healer)) {
      violations.add("no convergence within 600 s of healing: " + convergence(healer));
      return;
    }
    log("converged");
    Map<String, CompletableFuture<Outcome>> reads = new java.util.LinkedHashMap<>();
    for (String key : keys) {
      reads.put(key, healer.engine.get(key));
    }
    time.runUntil(time.nanos() + 30_000 * MS); // the reads, then their repairs
    for (Map.Entry<String, CompletableFuture<Outcome>> r : reads.entrySet()) {
      Outcome outcome = r.getValue().getNow(null);
      finalReads.put(r.getKey(), outcome);
      log("final GET " + r.getKey() + " -> " + outcome);
    }
  }

  private final Map<String, Outcome> finalReads = new java.util.LinkedHashMap<>();
  /** When the last power cut happened (ms): a write acknowledged before it may be gone. */
  private long lastPowerCut = -1;


  private boolean converged(Broker healer) {
    return convergence(healer) == null;
  }

  /** Why the cluster is not settled yet, or null when it is. */
  private String convergence(Broker healer) {
    for (ServerStatus row : healer.engine.status().servers()) {
      if (!row.up() || row.catchingUp()) {
        return row.address() + (row.up() ? " catching up" : " down");
      }
    }
    for (SimServer s : inFile()) {
      if (!"1".equals(s.info("caught_up")) || !"0".equals(s.info("hints"))) {
        return s + ": caught_up:" + s.info("caught_up") + ", hints:" + s.info("hints") + " ("
            + s.info("hinted_servers") + ")";
      }
    }
    return null;
  }

  private String summary() {
    long acknowledged = history.ops().stream().filter(SimHistory.Op::acknowledged).count();
    int purges = servers.stream().mapToInt(SimServer::purges).sum();
    return "seed " + seed + ": " + history.ops().size() + " operations (" + acknowledged + " acknowledged writes, "
        + checks.lostToPowerCuts() + " of them lost with every copy in power cuts), " + purges + " tombstones purged, "
        + history.counts();
  }
}
