package kv.broker.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an engine shows of itself: one row per server in server-file order, and sections of named
 * values of its own (the eventual engine's catch-up counters; a strong engine's groups), which the
 * {@code status} table and the router's INFO print after the servers. Immutable.
 */
public record EngineStatus(List<ServerStatus> servers, List<Section> sections) {

  public EngineStatus {
    servers = List.copyOf(servers);
    sections = List.copyOf(sections);
  }

  /** A titled list of {@code name: value} lines, in order (INFO prints {@code # title}, then {@code name:value}). */
  public record Section(String title, Map<String, String> values) {
    public Section {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
  }

  /** How many servers are UP. */
  public long up() {
    return servers.stream().filter(ServerStatus::up).count();
  }
}
