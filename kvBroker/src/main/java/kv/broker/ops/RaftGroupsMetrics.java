package kv.broker.ops;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;

/**
 * A strong engine's Raft groups as metrics ({@code kv_broker_raft_*{group}}), read from its
 * status: the section {@code Raft}'s {@code groupG} lines, {@code leader=..,raft_term=..,
 * commit_idx=..,last_applied=..,has_quorum=..,members=..,members_up=..} (PySyncObj's names, as
 * {@code GroupStatus.infoFields} writes them). An engine without them has no such series. Stateless.
 */
final class RaftGroupsMetrics {
  private RaftGroupsMetrics() {}

  static void register(PrometheusRegistry registry, Engine engine) {
    gauge(registry, engine, "kv_broker_raft_term", "The group's Raft term", "raft_term");
    gauge(registry, engine, "kv_broker_raft_commit_index", "The group's commit index, as its leader reports it",
        "commit_idx");
    gauge(registry, engine, "kv_broker_raft_last_applied_index", "The log index its leader has applied", "last_applied");
    gauge(registry, engine, "kv_broker_raft_has_quorum", "1 while a majority of the group's members answers",
        "has_quorum");
    gauge(registry, engine, "kv_broker_raft_members", "Members of the group", "members");
    gauge(registry, engine, "kv_broker_raft_members_up", "Members of the group that answer", "members_up");
    GaugeWithCallback.builder().name("kv_broker_raft_leader").help("1 for the group's leader (none: no leader known)")
        .labelNames("group", "leader")
        .callback(cb -> groups(engine, (g, fields) -> cb.call(1, g, fields.getOrDefault("leader", "none"))))
        .register(registry);
  }

  private static void gauge(PrometheusRegistry registry, Engine engine, String name, String help, String field) {
    GaugeWithCallback.builder().name(name).help(help).labelNames("group")
        .callback(cb -> groups(engine, (g, fields) -> {
          try {
            cb.call(Double.parseDouble(fields.get(field)), g);
          } catch (NumberFormatException | NullPointerException e) {
            // a field this engine does not give: no sample
          }
        })).register(registry);
  }

  /** Each group's number and fields, from the status's Raft section. */
  static void groups(Engine engine, BiConsumer<String, Map<String, String>> each) {
    for (EngineStatus.Section section : engine.status().sections()) {
      if (!section.title().equals("Raft")) {
        continue;
      }
      section.values().forEach((name, value) -> {
        if (name.matches("group\\d+") && value.contains("=")) {
          Map<String, String> fields = new LinkedHashMap<>();
          for (String field : value.split(",")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
              fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
          }
          each.accept(name.substring(5), fields);
        }
      });
    }
  }
}
