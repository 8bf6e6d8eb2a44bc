package kv.broker.keyspace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import kv.broker.engine.KeyScan;
import kv.broker.transport.Fanout;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.broker.transport.Versioned;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import kv.resp.ScanArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one page of the cluster's merged key space: asks every live server for its next keys
 * under a prefix ({@code VSCAN}, versions and liveness, no values) and merges the answers with
 * {@link KeyPageMerge}, provided {@link KeyCoverage} says no key can be missing. Stateless between
 * pages (a page starts after a key); thread-safe; futures complete on the servers' threads.
 */
public final class KeyspaceWalk {
  /*
   * Failures: a server that does not answer (transport failure) is left out and the page is asked
   * again of the others, if they still cover every key; a server that replies an error or a page
   * that does not parse fails the page (Failed), since its keys cannot be merged. Memory: one page
   * is at most `count` entries per server (ScanArgs.MAX_COUNT at most), whatever the size of the key space.
   */
  private static final Logger log = LoggerFactory.getLogger(KeyspaceWalk.class);

  private final List<? extends Server> servers;
  private final Placement placement;

  public KeyspaceWalk(List<? extends Server> servers, Placement placement) {
    this.servers = List.copyOf(servers);
    this.placement = placement;
  }

  /**
   * The live keys starting with {@code prefix} after the key {@code after} (null: from the
   * first), examining at most {@code count} keys (1..ScanArgs.MAX_COUNT).
   */
  public CompletableFuture<KeyScan> page(String prefix, String after, int count) {
    if (count < 1 || count > ScanArgs.MAX_COUNT) {
      throw new IllegalArgumentException("count: " + count + " (expected: 1.." + ScanArgs.MAX_COUNT + ")");
    }
    List<byte[]> request = ServerRequests.vscan(cursor(after), prefix, count);
    return page(request, count, Set.of());
  }

  private CompletableFuture<KeyScan> page(List<byte[]> request, int count, Set<ServerAddress> failed) {
    KeyScan.Incomplete incomplete = KeyCoverage.check(servers, failed, placement.k());
    if (incomplete != null) {
      return CompletableFuture.completedFuture(incomplete);
    }
    List<Server> live = new ArrayList<>();
    for (Server server : servers) {
      if (KeyCoverage.usable(server, failed)) {
        live.add(server);
      }
    }
    return Fanout.ask(live, request).thenCompose(replies -> {
      Set<ServerAddress> failedNow = new HashSet<>(failed);
      List<KeyPageMerge.ServerPage> pages = new ArrayList<>(replies.size());
      for (Fanout.Reply reply : replies) {
        if (reply.failure() != null) {
          log.debug("VSCAN to {} failed ({}); asking the others", reply.address(), TransportException.reason(reply.failure()));
          failedNow.add(reply.server().address());
        } else if (reply.resp() instanceof Resp.Error error) {
          return done(new KeyScan.Failed("server " + reply.address() + " answered VSCAN with an error: " + error.text()));
        } else {
          try {
            pages.add(KeyPageMerge.ServerPage.parse(reply.server().address(), reply.resp()));
          } catch (Versioned.MalformedReply e) {
            return done(new KeyScan.Failed("server " + reply.address() + ": " + e.getMessage()));
          }
        }
      }
      if (failedNow.size() > failed.size()) {
        return page(request, count, failedNow);
      }
      return done(KeyPageMerge.merge(pages, placement, count));
    });
  }

  private static CompletableFuture<KeyScan> done(KeyScan scan) {
    return CompletableFuture.completedFuture(scan);
  }

  /** VSCAN's cursor for "after this key": the hex of its UTF-8 bytes; "0" for the start. */
  static String cursor(String after) {
    return after == null ? "0" : HexFormat.of().formatHex(after.getBytes(StandardCharsets.UTF_8));
  }
}
