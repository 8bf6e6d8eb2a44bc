package kv.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import kv.resp.Resp;

/**
 * Sends one request to several replicas at once and collects every answer, a transport failure
 * standing in for a missing reply. Stateless and thread-safe.
 */
final class Fanout {
  private Fanout() {}

  /** One replica's answer: a reply, or the transport failure that replaced it. */
  record Reply(ServerLink link, Resp resp, Throwable failure) {
    String server() {
      return link.address().toString();
    }
  }

  /** The replicas that are UP, in order. */
  static List<ServerLink> live(List<ServerLink> replicas) {
    List<ServerLink> live = new ArrayList<>(replicas.size());
    for (ServerLink link : replicas) {
      if (link.isUp()) {
        live.add(link);
      }
    }
    return live;
  }

  /** The addresses of the replicas that are not UP, in order. */
  static List<String> down(List<ServerLink> replicas) {
    List<String> down = new ArrayList<>();
    for (ServerLink link : replicas) {
      if (!link.isUp()) {
        down.add(link.address().toString());
      }
    }
    return down;
  }

  /** Sends {@code request} to every target; completes with one reply per target, in order, once all are in. */
  static CompletableFuture<List<Reply>> ask(List<ServerLink> targets, List<byte[]> request) {
    if (targets.size() == 1) {
      ServerLink link = targets.get(0);
      return send(link, request).handle((resp, failure) -> List.of(new Reply(link, resp, unwrap(failure))));
    }
    List<CompletableFuture<Reply>> replies = new ArrayList<>(targets.size());
    for (ServerLink link : targets) {
      replies.add(send(link, request).handle((resp, failure) -> new Reply(link, resp, unwrap(failure))));
    }
    return CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
      List<Reply> list = new ArrayList<>(replies.size());
      for (CompletableFuture<Reply> reply : replies) {
        list.add(reply.join());
      }
      return list;
    });
  }

  private static CompletableFuture<Resp> send(ServerLink link, List<byte[]> request) {
    try {
      return link.send(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
