package kv.broker.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an engine shows of itself: one row per server in server-file order, and sections of named
 * values of its own (the eventual engine's catch-up counters; the strong engine's Raft fields),
 * which the router's INFO prints after the servers. The {@code status} table prints the server
 * rows and the sections, unless the engine gives tables of its own for people ({@link #tables}:
 * the strong engine's servers and Raft groups), which it then prints instead. Immutable.
 */
public record EngineStatus(List<ServerStatus> servers, List<Section> sections, List<Table> tables) {

  public EngineStatus {
    servers = List.copyOf(servers);
    sections = List.copyOf(sections);
    tables = List.copyOf(tables);
  }

  /** Server rows and sections; {@code status} prints them (no tables of the engine's own). */
  public EngineStatus(List<ServerStatus> servers, List<Section> sections) {
    this(servers, sections, List.of());
  }

  /** A titled list of {@code name: value} lines, in order (INFO prints {@code # title}, then {@code name:value}). */
  public record Section(String title, Map<String, String> values) {
    public Section {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
  }

  /**
   * A table for people: a header, rows of as many cells, and lines printed under it (a summary).
   */
  public record Table(List<String> header, List<List<String>> rows, List<String> notes) {
    public Table {
      header = List.copyOf(header);
      List<List<String>> copy = new ArrayList<>(rows.size());
      for (List<String> row : rows) {
        if (row.size() != header.size()) {
          throw new IllegalArgumentException("row: " + row + " (expected: " + header.size() + " cells, as the header)");
        }
        copy.add(List.copyOf(row));
      }
      rows = List.copyOf(copy);
      notes = List.copyOf(notes);
    }
  }

  /** How many servers are UP. */
  public long up() {
    return servers.stream().filter(ServerStatus::up).count();
  }
}
