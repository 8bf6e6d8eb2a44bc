package kv.resp.connection;

import static kv.resp.connection.Errors.arity;
import static kv.resp.connection.Errors.error;

import java.util.List;
import java.util.Set;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH on a port that cannot isolate a transaction, answered so
 * that nothing is ever queued and then applied without isolation: MULTI answers {@code +OK}, every
 * command after it (but EXEC, DISCARD, QUIT and RESET) is refused with the reason and not run, and
 * EXEC answers {@code -EXECABORT}, as Redis Cluster refuses a transaction across slots. (Were MULTI
 * itself refused, the commands a client pipelines after it would run at once, outside any
 * transaction.) The state is the connection's {@link ClientState}. Immutable, thread-safe.
 */
public final class TransactionRefusal {
  /** The upper-case names of the commands {@link #execute} answers. */
  public static final Set<String> NAMES = Set.of("MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH");
  private static final Set<String> IMMEDIATE = Set.of("MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "QUIT", "RESET");

  /** The COMMAND DOCS entries of MULTI, EXEC, DISCARD, WATCH and UNWATCH, for every port. */
  public static final List<CommandDoc> DOCS = List.of(
      CommandDoc.of("multi", 1, "fast", "transactions", "Starts a transaction: on a port or in a mode that cannot"
          + " isolate one, every command after it is refused and EXEC aborts (send them without MULTI: a"
          + " connection's commands keep their order)."),
      CommandDoc.of("exec", 1, "", "transactions", "Runs the commands queued since MULTI as one atomic step."),
      CommandDoc.of("discard", 1, "fast", "transactions", "Drops the commands queued since MULTI."),
      CommandDoc.of("watch", -2, "fast", "transactions", "Not supported: KV has no optimistic locking.",
          CommandDoc.Arg.key("key").multiple()),
      CommandDoc.of("unwatch", 1, "fast", "transactions", "Does nothing (no key is ever watched): OK."));

  private final String why;

  /**
   * @param why the refusal's words, naming what to do instead (e.g. {@code MULTI is not supported
   *     by kvServer: ...; send the commands without MULTI/EXEC})
   */
  public TransactionRefusal(String why) {
    this.why = why;
  }

  /** The reply to MULTI, EXEC, DISCARD, WATCH or UNWATCH ({@link #NAMES}). */
  public Resp execute(Request request, ClientState state) {
    int argc = request.size() - 1;
    switch (request.command()) {
      case "MULTI":
        if (argc != 0) {
          return arity("multi", "MULTI");
        }
        if (state.inMulti()) {
          return error("ERR MULTI calls can not be nested");
        }
        state.inMulti(true);
        return Resp.OK;
      case "EXEC":
        if (argc != 0) {
          return arity("exec", "EXEC");
        }
        if (!state.inMulti()) {
          return error("ERR EXEC without MULTI");
        }
        state.inMulti(false);
        return error("EXECABORT Transaction discarded because of previous errors: " + why);
      case "DISCARD":
        if (argc != 0) {
          return arity("discard", "DISCARD");
        }
        if (!state.inMulti()) {
          return error("ERR DISCARD without MULTI");
        }
        state.inMulti(false);
        return Resp.OK;
      case "WATCH":
        if (argc == 0) {
          return arity("watch", "WATCH key [key ...]");
        }
        return state.inMulti() ? error("ERR WATCH inside MULTI is not allowed")
            : error("ERR WATCH is not supported: KV has no optimistic locking; " + why);
      case "UNWATCH":
        return argc == 0 ? Resp.OK : arity("unwatch", "UNWATCH");
      default:
        throw new IllegalArgumentException("command: " + request.command() + " (expected: one of " + NAMES + ")");
    }
  }

  /**
   * The refusal of {@code request} when the connection is inside MULTI (the command is not run);
   * null outside MULTI and for the commands that run at once inside it (EXEC, DISCARD, QUIT, ...).
   */
  public Resp refuseQueued(Request request, ClientState state) {
    if (!state.inMulti() || IMMEDIATE.contains(request.command())) {
      return null;
    }
    return error("ERR " + why);
  }
}
