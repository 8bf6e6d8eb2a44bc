package kv.broker.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.broker.engine.Location;
import kv.record.BoolValue;
import kv.record.IntValue;
import kv.record.ListValue;
import kv.record.NullValue;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;

/**
 * LOCATE's answer as JSON, for {@code kvBroker --json} and {@code GET /admin/locate/{key}}:
 * {@code {"key":..,"placement":..,"group":null|{"id":0,"leader":..,"term":3},"servers":[{"address":..,
 * "state":"UP"|"DOWN"|"catching up"|"?","role":null|"leader",...,"holds":"value"|"tombstone"|"nothing"|null,
 * "version":"N"|null,"written":"2025-..Z"|null,"newest":true,"note":null|".."}],"note":null|".."}}; the
 * version is a string (64-bit), written its time in eventual mode. Stateless.
 */
public final class LocationJson {
  private LocationJson() {}

  public static Value of(Location location) {
    List<Value> servers = new ArrayList<>();
    for (Location.Replica r : location.servers()) {
      servers.add(SetValue.builder()
          .put("address", new StringValue(r.address()))
          .put("state", new StringValue(r.state().text()))
          .put("role", text(r.role()))
          .put("holds", r.holds() == Location.Holds.UNKNOWN ? NullValue.INSTANCE
              : new StringValue(r.holds().name().toLowerCase(Locale.ROOT)))
          // a string: versions pass 2^53, where JavaScript's and jq's numbers lose digits
          .put("version", r.version() >= 0 ? new StringValue(Long.toString(r.version())) : NullValue.INSTANCE)
          .put("written", written(location, r))
          .put("newest", BoolValue.of(r.newest()))
          .put("note", text(r.remark()))
          .build());
    }
    Location.Group g = location.group();
    Value group = g == null ? NullValue.INSTANCE : SetValue.builder()
        .put("id", new IntValue(g.id()))
        .put("leader", text(g.leader()))
        .put("term", g.term() >= 0 ? new IntValue(g.term()) : NullValue.INSTANCE)
        .build();
    return SetValue.builder()
        .put("key", new StringValue(location.key()))
        .put("placement", new StringValue(location.placement()))
        .put("group", group)
        .put("servers", new ListValue(servers))
        .put("note", text(location.note()))
        .build();
  }

  /* Eventual mode: when the version was written (its hybrid logical clock's milliseconds). */
  private static Value written(Location location, Location.Replica r) {
    return location.group() != null || r.version() < 0 ? NullValue.INSTANCE
        : new StringValue(java.time.Instant.ofEpochMilli(kv.clock.HybridLogicalClock.millisOf(r.version())).toString());
  }

  private static Value text(String s) {
    return s == null ? NullValue.INSTANCE : new StringValue(s);
  }
}
