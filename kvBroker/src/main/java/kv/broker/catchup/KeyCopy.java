package kv.broker.catchup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import kv.broker.transport.Server;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.resp.Resp;

/**
 * Copies what one server stores for a key to another: {@code VENTRIES} from the source (its PUT
 * or DELETE and its appends, unmerged), then {@code VPUT}/{@code VDEL} of each entry with its own
 * version to the target, which applies only what is newer (or wins a tie), so a copy racing a
 * newer write is harmless. Read repair, hint replay and resync all copy this way. Stateless;
 * thread-safe.
 */
public final class KeyCopy {
  /*
   * Why VENTRIES and not VGET: VGET merges a key's appends into one value under the newest
   * version, and a VPUT of that as the key's PUT would drop the appends the target holds that
   * the source lacks. A key never written (or purged) on the source has no entries: nothing is
   * copied.
   */
  private KeyCopy() {}

  /** Which server a failed copy failed on. */
  public enum Side { SOURCE, TARGET }

  /** A copy that failed: on whose side, and whether with an error reply (not a lost connection). */
  public static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;
    private final Side side;
    private final boolean errorReply;

    Failed(Side side, boolean errorReply, String message, Throwable cause) {
      super(message, cause);
      this.side = side;
      this.errorReply = errorReply;
    }

    public Side side() {
      return side;
    }

    /** The server answered with an error (keep what was to be copied, report it; do not retry elsewhere). */
    public boolean errorReply() {
      return errorReply;
    }
  }

  /** Completes with how many entries the target applied; fails with {@link Failed}. */
  public static CompletableFuture<Integer> copy(Server from, Server to, String key) {
    return send(from, ServerRequests.ventries(key), Side.SOURCE).thenCompose(reply -> {
      if (reply instanceof Resp.Error e) {
        return CompletableFuture.failedFuture(new Failed(Side.SOURCE, true,
            from.address() + " answered VENTRIES " + key + " with " + e.text(), null));
      }
      if (!(reply instanceof Resp.Array entries) || entries.items().size() % 3 != 0) {
        return CompletableFuture.failedFuture(new Failed(Side.SOURCE, true, from.address()
            + ": unexpected reply to VENTRIES: " + reply + " (expected: *3n [$name, :version, $text or $-1 ...])", null));
      }
      List<CompletableFuture<Boolean>> writes = new ArrayList<>();
      List<Resp> items = entries.items();
      for (int i = 0; i < items.size(); i += 3) {
        if (!(items.get(i) instanceof Resp.Bulk name && items.get(i + 1) instanceof Resp.Int version)) {
          return CompletableFuture.failedFuture(new Failed(Side.SOURCE, true, from.address()
              + ": unexpected entry in the reply to VENTRIES: " + items.get(i) + " " + items.get(i + 1), null));
        }
        String text = items.get(i + 2) instanceof Resp.Bulk value ? value.text() : null;
        writes.add(send(to, ServerRequests.write(name.text(), version.value(), text), Side.TARGET).thenCompose(r -> {
          if (r instanceof Resp.Error e) {
            return CompletableFuture.failedFuture(new Failed(Side.TARGET, true, to.address() + " refused "
                + (text == null ? "VDEL " : "VPUT ") + name.text() + ": " + e.text(), null));
          }
          return CompletableFuture.completedFuture(r instanceof Resp.Int applied && applied.value() == 1);
        }));
      }
      return CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
        int applied = 0;
        for (CompletableFuture<Boolean> w : writes) {
          applied += w.join() ? 1 : 0;
        }
        return applied;
      });
    }).exceptionallyCompose(error -> CompletableFuture.failedFuture(unwrap(error)));
  }

  private static CompletableFuture<Resp> send(Server server, List<byte[]> request, Side side) {
    CompletableFuture<Resp> sent;
    try {
      sent = server.send(request);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.exceptionallyCompose(error -> {
      Throwable cause = unwrap(error);
      return CompletableFuture.failedFuture(cause instanceof Failed ? cause
          : new Failed(side, false, server.address() + ": " + TransportException.reason(cause), cause));
    });
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
