package kv.broker.command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.broker.engine.EngineStatus;
import kv.broker.engine.ServerStatus;
import kv.record.BoolValue;
import kv.record.IntValue;
import kv.record.ListValue;
import kv.record.NullValue;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;

/**
 * The engine's status as JSON, for {@code kvBroker --json}'s {@code status} and the status page:
 * {@code {"servers":[{"address":..,"state":"UP"|"DOWN"|"catching up","up":true,"since":"2025-..Z"|null,
 * "since_seconds":12|null,"records":N|null,"instance_id":..|null,"hints":N|null,"resync_needed":false,
 * "catching_up":false}],"servers_up":3,"servers_down":0,"sections":{"Catch-up":{"read_repairs":0,...}},
 * "groups":[{"group":0,"leader":..,"raft_term":3,...,"members":[..]}]}}. A section's values are
 * numbers when they read as integers. Stateless.
 */
public final class StatusJson {
  /*
   * groups: a strong engine's status carries each Raft group in its "Raft" section as
   * groupG = leader=..,raft_term=..,commit_idx=..,last_applied=..,has_quorum=..,members=..,
   * members_up=..,partner_node_status_server_IP:PORT=2|0,... (GroupStatus.infoFields, PySyncObj's
   * names); they are read from there, so the page shows groups without knowing the engine.
   */
  private static final String PARTNER = "partner_node_status_server_";
  private static final String ROLE = "state_server_";

  private StatusJson() {}

  public static SetValue of(EngineStatus status, Instant now) {
    List<Value> servers = new ArrayList<>();
    for (ServerStatus s : status.servers()) {
      String state = !s.up() ? "DOWN" : s.catchingUp() ? "catching up" : "UP";
      servers.add(SetValue.builder()
          .put("address", new StringValue(s.address()))
          .put("state", new StringValue(state))
          .put("up", BoolValue.of(s.up()))
          .put("since", s.since() == null ? NullValue.INSTANCE : new StringValue(s.since().toString()))
          .put("since_seconds", s.since() == null ? NullValue.INSTANCE
              : new IntValue(Math.max(0, java.time.Duration.between(s.since(), now).getSeconds())))
          .put("records", s.records() < 0 ? NullValue.INSTANCE : new IntValue(s.records()))
          .put("instance_id", s.instanceId() == null || s.instanceId().isEmpty() ? NullValue.INSTANCE
              : new StringValue(s.instanceId()))
          .put("hints", s.hints() < 0 ? NullValue.INSTANCE : new IntValue(s.hints()))
          .put("resync_needed", BoolValue.of(s.hints() < 0))
          .put("catching_up", BoolValue.of(s.catchingUp()))
          .build());
    }
    SetValue.Builder sections = SetValue.builder();
    List<Value> groups = new ArrayList<>();
    for (EngineStatus.Section section : status.sections()) {
      SetValue.Builder values = SetValue.builder();
      for (Map.Entry<String, String> e : section.values().entrySet()) {
        values.put(e.getKey(), number(e.getValue()));
        if (e.getKey().matches("group\\d+") && e.getValue().contains("=")) {
          groups.add(group(Integer.parseInt(e.getKey().substring(5)), e.getValue()));
        }
      }
      sections.put(section.title(), values.build());
    }
    long up = status.up();
    return SetValue.builder()
        .put("servers", new ListValue(servers))
        .put("servers_up", new IntValue(up))
        .put("servers_down", new IntValue(status.servers().size() - up))
        .put("sections", sections.build())
        .put("groups", new ListValue(groups))
        .build();
  }

  /*
   * "leader=a,raft_term=3,...,partner_node_status_server_A=2,state_server_A=leader" ->
   * {"group":g,"leader":"a","raft_term":3,...,"members":[{"address":"A","up":true,"role":"leader"}]}
   */
  private static Value group(int g, String fields) {
    SetValue.Builder b = SetValue.builder().put("group", new IntValue(g));
    Map<String, Boolean> up = new java.util.LinkedHashMap<>();
    Map<String, String> roles = new java.util.HashMap<>();
    for (String field : fields.split(",")) {
      int eq = field.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = field.substring(0, eq);
      String value = field.substring(eq + 1);
      if (name.startsWith(PARTNER)) {
        up.put(name.substring(PARTNER.length()), value.equals("2"));
      } else if (name.startsWith(ROLE)) {
        roles.put(name.substring(ROLE.length()), value);
      } else if (name.equals("members")) {
        b.put("member_count", number(value));
      } else {
        b.put(name, number(value));
      }
    }
    List<Value> members = new ArrayList<>();
    up.forEach((address, isUp) -> members.add(SetValue.builder().put("address", new StringValue(address))
        .put("up", BoolValue.of(isUp))
        .put("role", roles.containsKey(address) ? new StringValue(roles.get(address)) : NullValue.INSTANCE)
        .build()));
    return b.put("members", new ListValue(members)).build();
  }

  /** An integer as a JSON number, anything else as a string. */
  static Value number(String text) {
    try {
      return new IntValue(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return new StringValue(text);
    }
  }
}
