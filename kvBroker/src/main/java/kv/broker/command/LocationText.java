package kv.broker.command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.broker.engine.Location;
import kv.clock.HybridLogicalClock;
import kv.record.RecordPrinter;

/**
 * The text of LOCATE at the prompt and on the router port: a line saying where the key lives,
 * then a table of its servers (address, state, role in strong mode, what each holds, the version
 * and, in eventual mode, when that version was written), the newest version marked, stale ones
 * named. Stateless.
 */
public final class LocationText {
  private LocationText() {}

  public static String format(Location location) {
    StringBuilder out = new StringBuilder(RecordPrinter.printKey(location.key()));
    Location.Group group = location.group();
    if (group != null) {
      out.append(" is in Raft group ").append(group.id()).append(" (leader ")
          .append(group.leader() == null ? "none known" : group.leader())
          .append(group.term() >= 0 ? ", term " + group.term() : "").append(")");
    } else {
      out.append(" is on ").append(location.servers().size()).append(location.servers().size() == 1 ? " server" : " servers")
          .append(" (").append(location.placement()).append(")");
    }
    boolean roles = location.servers().stream().anyMatch(r -> r.role() != null);
    boolean written = group == null && location.servers().stream().anyMatch(r -> r.version() >= 0);
    List<String[]> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("SERVER", "STATE"));
    if (roles) {
      header.add("ROLE");
    }
    header.addAll(List.of("HOLDS", "VERSION"));
    if (written) {
      header.add("WRITTEN");
    }
    header.add("NOTE");
    rows.add(header.toArray(new String[0]));
    for (Location.Replica r : location.servers()) {
      List<String> row = new ArrayList<>(List.of(r.address(), r.state().text()));
      if (roles) {
        row.add(r.role() == null ? "-" : r.role());
      }
      row.add(holds(r.holds()));
      row.add(r.version() >= 0 ? Long.toString(r.version()) : "-");
      if (written) {
        row.add(r.version() >= 0 ? Instant.ofEpochMilli(HybridLogicalClock.millisOf(r.version())).toString() : "-");
      }
      row.add(note(r, location));
      rows.add(row.toArray(new String[0]));
    }
    out.append('\n').append(columns(rows));
    if (location.note() != null) {
      out.append('\n').append(location.note());
    }
    return out.toString();
  }

  static String holds(Location.Holds holds) {
    return holds == Location.Holds.UNKNOWN ? "?" : holds.name().toLowerCase(Locale.ROOT);
  }

  /* newest / stale, then the server's remark. */
  private static String note(Location.Replica r, Location location) {
    String mark = r.newest() ? "newest" : "";
    boolean anyNewest = location.servers().stream().anyMatch(Location.Replica::newest);
    if (!r.newest() && anyNewest && (r.holds() == Location.Holds.VALUE || r.holds() == Location.Holds.TOMBSTONE
        || r.holds() == Location.Holds.NOTHING)) {
      mark = "stale (read repair or catch-up will update it)";
    }
    if (r.remark() != null) {
      mark = mark.isEmpty() ? r.remark() : mark + "; " + r.remark();
    }
    return mark.isEmpty() ? "-" : mark;
  }

  /* Columns two spaces apart, the last one not padded. */
  private static String columns(List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      if (out.length() > 0) {
        out.append('\n');
      }
      for (int i = 0; i < row.length; i++) {
        out.append(row[i]);
        if (i < row.length - 1) {
          out.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
    }
    return out.toString();
  }
}
