package kv.broker.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
   * section's values are numbers when they read as integers, else strings. groups: read from the
   * sections, not from a particular engine: a section value named groupN that is a list of
   * name=value pairs with raft_term (GroupStatus.infoFields, PySyncObj's names: leader, raft_term,
   * commit_idx, last_applied, has_quorum, state_server_ADDRESS) is group N; the eventual engine
   * has none, so the list is empty.
   */
  private static final String MEMBER_STATE = "state_server_";

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
        .put("groups", new ListValue(groups(status)))
        .build();
    return JsonPrinter.print(document);
  }

  /** The Raft groups among the sections' values, in order. */
  static List<Value> groups(EngineStatus status) {
    List<Value> groups = new ArrayList<>();
    for (EngineStatus.Section section : status.sections()) {
      for (Map.Entry<String, String> e : section.values().entrySet()) {
        Map<String, String> fields = pairs(e.getValue());
        if (e.getKey().matches("group[0-9]{1,9}") && fields.containsKey("raft_term")) {
          groups.add(group(Integer.parseInt(e.getKey().substring("group".length())), fields));
        }
      }
    }
    return groups;
  }

  private static Value group(int number, Map<String, String> fields) {
    String leader = fields.getOrDefault("leader", "none");
    SetValue.Builder group = SetValue.builder()
        .put("group", new IntValue(number))
        .put("leader", leader.equals("none") ? NullValue.INSTANCE : new StringValue(leader))
        .put("raft_term", number(fields.get("raft_term")))
        .put("commit_idx", number(fields.getOrDefault("commit_idx", "0")))
        .put("last_applied", number(fields.getOrDefault("last_applied", "0")))
        .put("has_quorum", BoolValue.of("1".equals(fields.get("has_quorum"))));
    List<Value> members = new ArrayList<>();
    for (Map.Entry<String, String> f : fields.entrySet()) {
      if (f.getKey().startsWith(MEMBER_STATE)) {
        members.add(SetValue.builder().put("address", new StringValue(f.getKey().substring(MEMBER_STATE.length())))
            .put("state", new StringValue(f.getValue())).build());
      }
    }
    return group.put("members", new ListValue(members)).build();
  }

  /* "a=1,b=2" as {a: 1, b: 2}; empty when the text is not such a list. */
  private static Map<String, String> pairs(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        return Map.of();
      }
      out.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return out;
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
