package kv.broker.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import kv.resp.Resp;

/**
 * Sends one request to several replicas at once and collects every answer, a transport failure
 * standing in for a missing reply. Stateless and thread-safe.
 */
public final class Fanout {
  private Fanout() {}

  /** One replica's answer: a reply, or the transport failure that replaced it. */
  public record Reply(Server server, Resp resp, Throwable failure) {
    /** The server's address, for messages. */
    public String address() {
      return server.address().toString();
    }
  }

  /** The replicas that are UP, in order. */
  public static List<Server> live(List<Server> replicas) {
    List<Server> live = new ArrayList<>(replicas.size());
    for (Server server : replicas) {
      if (server.isUp()) {
        live.add(server);
      }
    }
    return live;
  }

  /** The addresses of the replicas that are not UP, in order. */
  public static List<String> down(List<Server> replicas) {
    List<String> down = new ArrayList<>();
    for (Server server : replicas) {
      if (!server.isUp()) {
        down.add(server.address().toString());
      }
    }
    return down;
  }

  /** Sends {@code request} to every target; completes with one reply per target, in order, once all are in. */
  public static CompletableFuture<List<Reply>> ask(List<Server> targets, List<byte[]> request) {
    if (targets.size() == 1) {
      Server server = targets.get(0);
      return send(server, request).handle((resp, failure) -> List.of(new Reply(server, resp, unwrap(failure))));
    }
    List<CompletableFuture<Reply>> replies = new ArrayList<>(targets.size());
    for (Server server : targets) {
      replies.add(send(server, request).handle((resp, failure) -> new Reply(server, resp, unwrap(failure))));
    }
    return CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
      List<Reply> list = new ArrayList<>(replies.size());
      for (CompletableFuture<Reply> reply : replies) {
        list.add(reply.join());
      }
      return list;
    });
  }

  private static CompletableFuture<Resp> send(Server server, List<byte[]> request) {
    try {
      return server.send(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
