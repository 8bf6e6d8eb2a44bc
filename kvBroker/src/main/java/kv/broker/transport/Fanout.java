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
  public record Reply(Server link, Resp resp, Throwable failure) {
    public String server() {
      return link.address().toString();
    }
  }

  /** The replicas that are UP, in order. */
  public static List<Server> live(List<Server> replicas) {
    List<Server> live = new ArrayList<>(replicas.size());
    for (Server link : replicas) {
      if (link.isUp()) {
        live.add(link);
      }
    }
    return live;
  }

  /** The addresses of the replicas that are not UP, in order. */
  public static List<String> down(List<Server> replicas) {
    List<String> down = new ArrayList<>();
    for (Server link : replicas) {
      if (!link.isUp()) {
        down.add(link.address().toString());
      }
    }
    return down;
  }

  /** Sends {@code request} to every target; completes with one reply per target, in order, once all are in. */
  public static CompletableFuture<List<Reply>> ask(List<Server> targets, List<byte[]> request) {
    if (targets.size() == 1) {
      Server link = targets.get(0);
      return send(link, request).handle((resp, failure) -> List.of(new Reply(link, resp, unwrap(failure))));
    }
    List<CompletableFuture<Reply>> replies = new ArrayList<>(targets.size());
    for (Server link : targets) {
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

  private static CompletableFuture<Resp> send(Server link, List<byte[]> request) {
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
