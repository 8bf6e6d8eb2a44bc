package kv.broker.command;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.ServerStatus;

/**
 * Formats the {@code status} table (at the prompt and for the router's STATUS): one row per server
 * with its address, UP/DOWN, how long it has been in that state, its record count, instance id,
 * the writes the broker holds for it (hints) and whether it is catching up; then the engine's
 * sections, one line each; or the engine's own tables (the strong engine's servers and groups).
 * Stateless.
 */
public final class StatusTable {
  private static final String[] HEADER = {"ADDRESS", "STATE", "SINCE", "RECORDS", "INSTANCE", "HINTS", "CATCHING UP"};
  private static final int INSTANCE_WIDTH = 12;

  private StatusTable() {}

  /**
   * The server table, its summary line, then one line per section ({@code title: name value, ...});
   * or, when the engine gives tables of its own, those tables with their notes.
   */
  public static String format(EngineStatus status, Instant now) {
    if (!status.tables().isEmpty()) {
      StringBuilder out = new StringBuilder();
      for (EngineStatus.Table table : status.tables()) {
        List<String[]> rows = new ArrayList<>();
        rows.add(table.header().toArray(new String[0]));
        for (List<String> row : table.rows()) {
          rows.add(row.toArray(new String[0]));
        }
        out.append(out.length() == 0 ? "" : "\n").append(columns(rows));
        for (String note : table.notes()) {
          out.append('\n').append(note);
        }
      }
      return out.toString();
    }
    StringBuilder out = new StringBuilder(format(status.servers(), now));
    for (EngineStatus.Section section : status.sections()) {
      out.append('\n').append(section.title()).append(':');
      String separator = " ";
      for (Map.Entry<String, String> e : section.values().entrySet()) {
        out.append(separator).append(e.getKey()).append(' ').append(e.getValue());
        separator = ", ";
      }
    }
    return out.toString();
  }

  static String format(List<ServerStatus> servers, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    int up = 0;
    for (ServerStatus s : servers) {
      if (s.up()) {
        up++;
      }
      rows.add(new String[] {
          s.address(),
          s.up() ? "UP" : "DOWN",
          s.since() == null ? "-" : ago(Duration.between(s.since(), now)),
          s.records() < 0 ? "-" : Long.toString(s.records()),
          instance(s.instanceId()),
          s.hints() < 0 ? "resync" : Long.toString(s.hints()),
          s.catchingUp() ? "yes" : "no"});
    }
    StringBuilder out = new StringBuilder(columns(rows)).append('\n');
    out.append(servers.size()).append(servers.size() == 1 ? " server: " : " servers: ")
        .append(up).append(" up, ").append(servers.size() - up).append(" down");
    return out.toString();
  }

  /** The rows (the first is the header) in columns two spaces apart, without a final newline. */
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

  /** {@code 12s}, {@code 3m04s}, {@code 2h05m}, {@code 3d04h}; a clock skew below zero reads {@code 0s}. */
  public static String ago(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    if (s < 86400) {
      return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    return String.format("%dd%02dh", s / 86400, (s % 86400) / 3600);
  }

  private static String instance(String id) {
    if (id == null || id.isEmpty()) {
      return "-";
    }
    return id.length() > INSTANCE_WIDTH ? id.substring(0, INSTANCE_WIDTH) : id;
  }
}
