package kv.broker.eventual;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.broker.engine.Location;
import kv.broker.engine.Outcome;
import kv.broker.transport.Fanout;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.Versioned;
import kv.cluster.ServerAddress;
import kv.resp.ReplicaCommand;
import kv.resp.Resp;

/**
 * LOCATE in eventual mode: the key's k replicas in rendezvous order, each with its state (UP,
 * DOWN, catching up) and what it holds, asked with VGET (version, value or tombstone); the newest
 * answer is marked, as a GET would return it. Read-only: no read repair. Stateless.
 */
final class KeyLocator {
  private KeyLocator() {}

  static CompletableFuture<Outcome> locate(String key, List<Server> replicas) {
    List<ServerAddress> addresses = new ArrayList<>(replicas.size());
    replicas.forEach(s -> addresses.add(s.address()));
    List<Server> live = Fanout.live(replicas);
    CompletableFuture<List<Fanout.Reply>> asked = live.isEmpty()
        ? CompletableFuture.completedFuture(List.of()) : Fanout.ask(live, ServerRequests.vget(key));
    return asked.thenApply(replies -> {
      List<Location.Replica> rows = new ArrayList<>();
      long newest = -1;
      for (Server server : replicas) {
        Location.State state = !server.isUp() ? Location.State.DOWN
            : server.trustedFor(addresses) ? Location.State.UP : Location.State.CATCHING_UP;
        Fanout.Reply reply = replyOf(replies, server);
        Location.Replica row = row(server.address().toString(), state, reply);
        newest = Math.max(newest, row.version());
        rows.add(row);
      }
      List<Location.Replica> marked = new ArrayList<>(rows.size());
      for (Location.Replica r : rows) {
        marked.add(new Location.Replica(r.address(), r.state(), null, r.holds(), r.version(),
            r.version() >= 0 && r.version() == newest, r.remark()));
      }
      return new Outcome.Located(new Location(key, "rendezvous hashing, k = " + replicas.size(), null, marked, null));
    });
  }

  private static Fanout.Reply replyOf(List<Fanout.Reply> replies, Server server) {
    for (Fanout.Reply r : replies) {
      if (r.server() == server) {
        return r;
      }
    }
    return null;
  }

  private static Location.Replica row(String address, Location.State state, Fanout.Reply reply) {
    if (reply == null) {
      return new Location.Replica(address, state, null, Location.Holds.UNKNOWN, -1, false, "not asked: it is down");
    }
    if (reply.failure() != null) {
      return new Location.Replica(address, state, null, Location.Holds.UNKNOWN, -1, false,
          "no answer: " + reply.failure().getMessage());
    }
    if (reply.resp() instanceof Resp.Error e) {
      return new Location.Replica(address, state, null, Location.Holds.UNKNOWN, -1, false, "replied " + e.text());
    }
    try {
      Versioned v = Versioned.parse(ReplicaCommand.VGET, reply.resp());
      if (v == null) {
        return new Location.Replica(address, state, null, Location.Holds.NOTHING, -1, false, null);
      }
      return new Location.Replica(address, state, null, v.isTombstone() ? Location.Holds.TOMBSTONE
          : Location.Holds.VALUE, v.version(), false, null);
    } catch (Versioned.MalformedReply e) {
      return new Location.Replica(address, state, null, Location.Holds.UNKNOWN, -1, false, e.getMessage());
    }
  }
}
