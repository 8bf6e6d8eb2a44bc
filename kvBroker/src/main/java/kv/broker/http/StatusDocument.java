package kv.broker.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.ServerStatus;
import kv.record.BoolValue;
import kv.record.IntValue;
import kv.record.JsonPrinter;
import kv.record.ListValue;
import kv.record.NullValue;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;

/**
 * The JSON form of {@code GET /admin/status}: the engine, one object per server (address, state,
 * since, records, instance id, hints, catching up), the counts, the engine's sections and a
 * {@code groups} list for strong mode's Raft groups. Stateless.
 */
final class StatusDocument {
  /*
   * Shape (api/openapi.yml, schema Status, is the contract): numbers are JSON numbers, absent
   * figures null (a record count not known yet, hints past the bound, which mean a resync). A
   * section's values are numbers when they read as integers, else strings. groups: a strong engine
   * lists one object per Raft group with PySyncObj's names (leader, raft_term, commit_idx,
   * last_applied, has_quorum, ...); the eventual engine has none, so it is empty.
   */
  private StatusDocument() {}

  static String json(String engine, EngineStatus status) {
    List<Value> servers = new ArrayList<>();
    for (ServerStatus s : status.servers()) {
      servers.add(SetValue.builder()
          .put("address", new StringValue(s.address()))
          .put("state", new StringValue(s.up() ? "UP" : "DOWN"))
          .put("since", s.since() == null ? NullValue.INSTANCE : new StringValue(s.since().toString()))
          .put("records", s.records() < 0 ? NullValue.INSTANCE : new IntValue(s.records()))
          .put("instance_id", s.instanceId() == null || s.instanceId().isEmpty() ? NullValue.INSTANCE
              : new StringValue(s.instanceId()))
          .put("hints", s.hints() < 0 ? NullValue.INSTANCE : new IntValue(s.hints()))
          .put("resync_needed", BoolValue.of(s.hints() < 0))
          .put("catching_up", BoolValue.of(s.catchingUp()))
          .build());
    }
    SetValue.Builder sections = SetValue.builder();
    for (EngineStatus.Section section : status.sections()) {
      SetValue.Builder values = SetValue.builder();
      for (Map.Entry<String, String> e : section.values().entrySet()) {
        values.put(e.getKey(), number(e.getValue()));
      }
      sections.put(section.title(), values.build());
    }
    long up = status.up();
    SetValue document = SetValue.builder()
        .put("engine", new StringValue(engine.toLowerCase(Locale.ROOT)))
        .put("servers", new ListValue(servers))
        .put("servers_up", new IntValue(up))
        .put("servers_down", new IntValue(status.servers().size() - up))
        .put("sections", sections.build())
        .put("groups", new ListValue(List.of()))
        .build();
    return JsonPrinter.print(document);
  }

  /** An integer as a JSON number, anything else as a string. */
  private static Value number(String text) {
    try {
      return new IntValue(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return new StringValue(text);
    }
  }
}
