package kv.broker.cli;

import java.util.ArrayList;
import java.util.List;
import kv.broker.command.BadCommandException;
import kv.broker.command.Command;
import kv.broker.command.LocationJson;
import kv.broker.engine.Outcome;
import kv.record.BoolValue;
import kv.record.IntValue;
import kv.record.JsonPrinter;
import kv.record.Limits;
import kv.record.ListValue;
import kv.record.NullValue;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;

/**
 * The one-line JSON that {@code kvBroker --json} prints for each result instead of
 * {@link OutcomeText}'s: {@code {"ok":true,...}} with the answer, or {@code {"ok":false,"error":
 * {"kind":..,"message":..}}} with the kind the router's RESP error would have (CLUSTERDOWN,
 * TRYAGAIN, ERR). The README's "--json" paragraph is the contract. Thread-safe.
 */
final class JsonOutcome {
  /*
   * Shapes, one per line:
   *   GET      {"ok":true,"found":true,"key":"person1","value":{"name":"John"}}   (found:false, value:null)
   *   QUERY    {"ok":true,"found":true,"key":"person2","path":"person2.address.number","value":12}
   *   PUT      {"ok":true,"key":"person9","acknowledged":2,"replicas":2}
   *   DELETE   {"ok":true,"key":"person1","deleted":true}                       (deleted:false: absent)
   *   EXISTS, DBSIZE {"ok":true,"value":3}; KEYS {"ok":true,"value":["a","b"]}
   *   LOCATE   {"ok":true,"value":{LocationJson}}; status {"ok":true,"value":{StatusJson}}; help {"ok":true,"value":"..."}
   *   failure  {"ok":false,"error":{"kind":"CLUSTERDOWN","message":"...","servers":["127.0.0.1:9001"]}}
   * Values are JSON (the record printed as a JSON object); a value that cannot be read back as
   * one (it should not happen) is given as its KV text in "text" instead.
   */
  private static final RecordParser VALUES = new RecordParser(new Limits(Limits.MAX_DEPTH, Integer.MAX_VALUE));

  private JsonOutcome() {}

  static String of(Command command, Outcome outcome) {
    if (outcome instanceof Outcome.Found f) {
      Value v = value(f.set());
      return ok().put("found", BoolValue.TRUE).put("key", str(f.key())).put(v != null ? "value" : "text",
          v != null ? v : str(f.set())).json();
    } else if (outcome instanceof Outcome.QueryValue q) {
      return ok().put("found", BoolValue.TRUE).put("key", str(q.path().key())).put("path", str(q.path().toString()))
          .put("value", q.value()).json();
    } else if (outcome instanceof Outcome.NotFound n) {
      if (command instanceof Command.Delete) {
        return ok().put("key", str(n.key())).put("deleted", BoolValue.FALSE).json();
      }
      Doc d = ok().put("found", BoolValue.FALSE).put("key", str(n.key()));
      if (command instanceof Command.Query q) {
        d.put("path", str(q.path().toString()));
      }
      return d.put("value", NullValue.INSTANCE).json();
    } else if (outcome instanceof Outcome.Deleted d) {
      return ok().put("key", str(d.key())).put("deleted", BoolValue.TRUE).json();
    } else if (outcome instanceof Outcome.Written w) {
      if (w.acknowledged() <= 0) {
        return error("CLUSTERDOWN", w.message(), List.of());
      }
      Doc d = ok().put("key", str(w.key())).put("acknowledged", new IntValue(w.acknowledged()))
          .put("replicas", new IntValue(w.replicas()));
      if (command instanceof Command.Append && w.length() >= 0) {
        d.put("length", new IntValue(w.length()));
      }
      return d.json();
    } else if (outcome instanceof Outcome.Unavailable u) {
      return error("CLUSTERDOWN", u.message(), u.downServers());
    } else if (outcome instanceof Outcome.Refused r) {
      return error("TRYAGAIN", r.message(), r.downServers());
    } else if (outcome instanceof Outcome.Count c) {
      return ok().put("value", new IntValue(c.count())).json();
    } else if (outcome instanceof Outcome.Keys k) {
      return ok().put("value", strings(k.keys())).json();
    } else if (outcome instanceof Outcome.ScanPage p) {
      return ok().put("cursor", str(p.cursor())).put("value", strings(p.keys())).json();
    } else if (outcome instanceof Outcome.Incomplete i) {
      List<String> servers = new ArrayList<>(i.why().down());
      servers.addAll(i.why().catchingUp());
      return error("CLUSTERDOWN", i.message(), servers);
    } else if (outcome instanceof Outcome.Located l) {
      return ok().put("value", LocationJson.of(l.location())).json();
    } else if (outcome instanceof Outcome.Failed f) {
      return error("ERR", f.message(), List.of());
    }
    // an outcome this printer does not know yet: its prompt text, as a failure when it is one
    String text = OutcomeText.of(outcome);
    return OutcomeText.failed(outcome) ? error("ERR", text.replaceFirst("^(ERROR|WARNING): ", ""), List.of())
        : ok().put("text", str(text)).json();
  }

  /** A command that could not be parsed. */
  static String of(BadCommandException e) {
    return error("ERR", e.getMessage(), List.of());
  }

  /** A successful answer that is text ({@code help}) or a document ({@code status}). */
  static String ofValue(Value value) {
    return ok().put("value", value).json();
  }

  private static String error(String kind, String message, List<String> servers) {
    SetValue.Builder e = SetValue.builder().put("kind", str(kind)).put("message", str(message));
    if (!servers.isEmpty()) {
      e.put("servers", strings(servers));
    }
    return new Doc().put("ok", BoolValue.FALSE).put("error", e.build()).json();
  }

  /* The set's text as a JSON value, or null when it cannot be read (then printed as text). */
  private static Value value(String text) {
    try {
      return VALUES.parseValue(text);
    } catch (RecordFormatException e) {
      return null;
    }
  }

  private static Doc ok() {
    return new Doc().put("ok", BoolValue.TRUE);
  }

  private static Value str(String s) {
    return new StringValue(s);
  }

  private static Value strings(List<String> list) {
    List<Value> items = new ArrayList<>(list.size());
    list.forEach(s -> items.add(new StringValue(s)));
    return new ListValue(items);
  }

  /** A JSON object being built, fields in order. */
  private static final class Doc {
    private final SetValue.Builder b = SetValue.builder();

    Doc put(String name, Value value) {
      b.put(name, value);
      return this;
    }

    String json() {
      return JsonPrinter.print(b.build());
    }
  }
}
