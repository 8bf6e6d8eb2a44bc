package kv.server;

import java.util.Objects;
import java.util.function.LongSupplier;
import kv.clock.HybridLogicalClock;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.connection.ClientState;
import kv.server.durable.EntryLog;
import kv.server.durable.SnapshotSource;

/**
 * kvServer's command handlers over one store and its hints, without a socket or a thread of its
 * own: {@link #execute} runs one request as the cluster's connection would and returns the reply
 * the handler made. For in-process tests of a whole cluster (a deterministic simulation drives
 * many of these on its own clock); the caller's logs decide what a crash loses. Thread-safe as
 * kvServer's handlers are.
 */
public final class LocalServer {
  private final String instanceId;
  private final CommandTable table;
  private final Session session = new Session(new ClientState(1, "local", "local", 0));

  private LocalServer(String instanceId, CommandTable table) {
    this.instanceId = instanceId;
    this.table = table;
  }

  /**
   * A server that starts as kvServer does: replays {@code data} into its store and {@code hints}
   * into its hints (each entry as its log wrote it), then logs every later write to
   * {@code dataLog} and every hint to {@code hintLog} before applying it (null logs: in memory,
   * {@code persistence:off} in INFO).
   *
   * @param wallMillis the server's clock (its own writes' versions, and the bound on versions
   *     ahead of it)
   * @param maxClockSkewMillis kvServer's {@code --max-clock-skew-ms}
   */
  public static LocalServer start(String instanceId, LongSupplier wallMillis, long maxClockSkewMillis,
      EntryLog dataLog, SnapshotSource data, EntryLog hintLog, SnapshotSource hints) {
    Objects.requireNonNull(instanceId, "instanceId");
    Store store = new Store(new HybridLogicalClock(instanceId.hashCode() & 0xff, wallMillis, maxClockSkewMillis));
    Hints owed = new Hints();
    if (data != null) {
      data.forEach(store::replayEntry);
    }
    if (hints != null) {
      hints.forEach(owed::replayEntry);
    }
    if (dataLog != null) {
      store.logTo(dataLog);
    }
    if (hintLog != null) {
      owed.logTo(hintLog);
    }
    ServerConfig config = ServerConfig.defaults().with(c -> c.maxClockSkewMillis = maxClockSkewMillis);
    ServerStats stats = new ServerStats(instanceId, wallMillis.getAsLong(), config.maxClients());
    return new LocalServer(instanceId, KvServer.commandTable(store, owed, stats, config));
  }

  /** This start's instance id, as INFO reports it. */
  public String instanceId() {
    return instanceId;
  }

  /** The reply to {@code request}, as a connection of the cluster gets it (before it is encoded). */
  public Resp execute(Request request) {
    return table.execute(request, session);
  }
}
