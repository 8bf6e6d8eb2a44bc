package kv.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import kv.resp.ReplicaCommand;
import kv.resp.Request;
import kv.resp.Resp;
import kv.resp.ScanArgs;

/**
 * The durable hints any broker reads and replays ({@code VHINT}, {@code VHINTS},
 * {@code VHINTDEL}, {@code VHINTED}), the caught-up mark ({@code VCAUGHTUP}) and their INFO
 * section; the {@code HINT} option of VPUT and VDEL is parsed here too. Thread-safe.
 */
final class HintCommands {
  /*
   * VHINT key version server [server ...] -> :n   each server is owed key at version (after the
   *   write: for replicas that did not answer it); n servers named
   * VHINTS server cursor [COUNT n] -> *2 [$next-cursor, *2m [$key, :version, ...]]   the hints for
   *   server in key order; cursor "0" starts and ends, others are the hex of the last key's UTF-8
   * VHINTDEL server key version -> :1 deleted (the hint held was at most version), :0 otherwise
   * VHINTED key -> :n   how many servers this one holds a hint of key for
   * VCAUGHTUP instance-id [RESYNCED] -> +OK when the id is this start's (INFO caught_up:1), else an
   *   error; RESYNCED: the broker also compared all of its data with its peers (INFO resynced:1,
   *   logged, so it outlives restarts until the data directory is lost)
   */
  private static final ScanArgs.Spec VHINTS =
      new ScanArgs.Spec(ReplicaCommand.VHINTS.name(), ReplicaCommand.VHINTS.usage(), false, 1000);

  private final Hints hints;
  private final CaughtUpMark mark;

  HintCommands(Hints hints, CaughtUpMark mark) {
    this.hints = hints;
    this.mark = mark;
  }

  void register(CommandTable table) {
    table.add(ReplicaCommand.VHINT.name(), 3, CommandTable.MANY, ReplicaCommand.VHINT.usage(), this::vhint)
        .add(VHINTS.command(), 2, 4, VHINTS.usage(), this::vhints)
        .add(ReplicaCommand.VHINTDEL.name(), 3, 3, ReplicaCommand.VHINTDEL.usage(), this::vhintdel)
        .add(ReplicaCommand.VHINTED.name(), 1, 1, ReplicaCommand.VHINTED.usage(), this::vhinted)
        .add(ReplicaCommand.VCAUGHTUP.name(), 1, 2, ReplicaCommand.VCAUGHTUP.usage(), this::vcaughtup);
  }

  /** INFO's {@code # Replication} section. */
  String info() {
    StringBuilder servers = new StringBuilder();
    for (Map.Entry<String, Integer> e : hints.perServer().entrySet()) {
      servers.append(servers.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
    }
    return "caught_up:" + (mark.caughtUp() ? 1 : 0) + "\r\n"
        + "resynced:" + (hints.resynced() ? 1 : 0) + "\r\n"
        + "hints:" + hints.size() + "\r\n"
        + "hinted_servers:" + servers + "\r\n";
  }

  /** Records the hints of a VPUT or VDEL's {@code HINT server ...} option (before the write). */
  void add(List<String> servers, String key, long version) {
    hints.add(servers, key, version);
  }

  /** Whether a tombstone of {@code key} must stay: a hint of it is held. */
  boolean hinted(String key) {
    return hints.holders(key) > 0;
  }

  private Resp vhint(Request request, Session session) {
    String key = request.arg(1);
    long version = Replies.parseLong("version", request.arg(2), 0, "a 64-bit integer >= 0");
    List<String> servers = servers(request, 3, "VHINT");
    hints.add(servers, key, version);
    return new Resp.Int(servers.size());
  }

  private Resp vhints(Request request, Session session) {
    String server = server(request.arg(1));
    String after = SyncCommands.decodeCursor(request.arg(2));
    if (request.size() % 2 != 1) {
      throw CommandTable.wrongArity(VHINTS.command(), VHINTS.usage());
    }
    int count;
    try {
      count = ScanArgs.parse(request, 3, VHINTS).count();
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage(), e);
    }
    List<Hints.Hint> page = hints.page(server, after, count);
    List<Resp> items = new ArrayList<>(2 * page.size());
    for (Hints.Hint h : page) {
      items.add(Replies.bulk(h.key()));
      items.add(new Resp.Int(h.version()));
    }
    String last = page.isEmpty() ? null : page.get(page.size() - 1).key();
    String cursor = last != null && hints.more(server, last)
        ? HexFormat.of().formatHex(last.getBytes(StandardCharsets.UTF_8)) : "0";
    return new Resp.Array(List.of(Replies.bulk(cursor), new Resp.Array(items)));
  }

  private Resp vhintdel(Request request, Session session) {
    String server = server(request.arg(1));
    long version = Replies.parseLong("version", request.arg(3), 0, "a 64-bit integer >= 0");
    return new Resp.Int(hints.delete(server, request.arg(2), version) ? 1 : 0);
  }

  private Resp vhinted(Request request, Session session) {
    return new Resp.Int(hints.holders(request.arg(1)));
  }

  private Resp vcaughtup(Request request, Session session) {
    String id = request.arg(1);
    boolean resynced = request.size() == 3;
    if (resynced && !request.arg(2).equalsIgnoreCase("RESYNCED")) {
      throw new CommandException("VCAUGHTUP option: '" + Replies.quote(request.arg(2)) + "' (expected: RESYNCED)");
    }
    if (!mark.instanceId().equals(id)) {
      throw new CommandException("instance id: '" + Replies.quote(id) + "' (expected: this server's, "
          + mark.instanceId() + "; it restarted since the broker compared it)");
    }
    if (resynced) {
      hints.markResynced();
    }
    mark.set(id);
    return Resp.OK;
  }

  /**
   * The servers named from argument {@code first} on (at least one), each {@code ip:port} as in
   * the brokers' server file.
   */
  static List<String> servers(Request request, int first, String what) {
    if (request.size() <= first) {
      throw new CommandException(what + ": no server named (expected: " + what + " ip:port [ip:port ...])");
    }
    List<String> servers = new ArrayList<>(request.size() - first);
    for (int i = first; i < request.size(); i++) {
      servers.add(server(request.arg(i)));
    }
    return servers;
  }

  /** A server's {@code ip:port}, checked: the name hints are kept under. */
  static String server(String text) {
    int colon = text.lastIndexOf(':');
    boolean valid = colon > 0 && colon < text.length() - 1 && text.indexOf(' ') < 0;
    if (valid) {
      try {
        int port = Integer.parseInt(text.substring(colon + 1));
        valid = port >= 1 && port <= 65535;
      } catch (NumberFormatException e) {
        valid = false;
      }
    }
    if (!valid) {
      throw new CommandException("server: '" + Replies.quote(text) + "' (expected: ip:port, as in the server file)");
    }
    return text;
  }
}
