package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kv.broker.testing.RespTestClient;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Commands of one connection take effect in the order they were sent, versions included (issue
 * 13, scenario 1): pipelines of every ordered pair and triple of the data commands on one key,
 * through a router, each reply and the state afterwards checked against a sequential model. A
 * subclass starts the router in front of an engine ({@link PipelineOrderTest}: eventual,
 * {@code kv.broker.strong.StrongPipelineOrderTest}: strong).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PipelineOrderCases {
  /** The router's port. */
  protected abstract int routerPort();

  /** How many times the issue's scenarios run (200 as in the issue; fewer where each write is a Raft round). */
  protected int repetitions() {
    return 200;
  }

  /** The commands the triples are made of (all of {@link #OPS} unless a slow engine picks fewer). */
  protected List<Op> tripleOps() {
    return OPS;
  }

  /**
   * One data command on the key of a case: its request and its reply and effect in a sequential
   * model whose state is the value's canonical text (null: absent).
   */
  public interface Op {
    String name();

    /** The request for {@code key}; {@code n} tells this command apart within one pipeline. */
    String[] request(String key, int n);

    Resp expected(String key, String state, int n);

    String after(String state, int n);
  }

  public record Put() implements Op {
    public String name() {
      return "PUT";
    }

    public String[] request(String key, int n) {
      return new String[] {"PUT", key, "{ \"v\" : " + n + " }"};
    }

    public Resp expected(String key, String state, int n) {
      return Resp.OK;
    }

    public String after(String state, int n) {
      return "{ \"v\" : " + n + " }";
    }
  }

  public record Delete() implements Op {
    public String name() {
      return "DELETE";
    }

    public String[] request(String key, int n) {
      return new String[] {"DEL", key};
    }

    public Resp expected(String key, String state, int n) {
      return new Resp.Int(state == null ? 0 : 1);
    }

    public String after(String state, int n) {
      return null;
    }
  }

  public record Get() implements Op {
    public String name() {
      return "GET";
    }

    public String[] request(String key, int n) {
      return new String[] {"GET", key};
    }

    public Resp expected(String key, String state, int n) {
      return state == null ? Resp.NullBulk.INSTANCE : Resp.Bulk.of(state);
    }

    public String after(String state, int n) {
      return state;
    }
  }

  public record Query() implements Op {
    public String name() {
      return "QUERY";
    }

    public String[] request(String key, int n) {
      return new String[] {"QUERY", key + ".v"};
    }

    public Resp expected(String key, String state, int n) {
      return state == null || state.startsWith("[") ? Resp.NullBulk.INSTANCE
          : Resp.Bulk.of(state.substring("{ \"v\" : ".length(), state.length() - 2));
    }

    public String after(String state, int n) {
      return state;
    }
  }

  public record Exists() implements Op {
    public String name() {
      return "EXISTS";
    }

    public String[] request(String key, int n) {
      return new String[] {"EXISTS", key};
    }

    public Resp expected(String key, String state, int n) {
      return new Resp.Int(state == null ? 0 : 1);
    }

    public String after(String state, int n) {
      return state;
    }
  }

  /** APPEND n to the key itself: a missing key becomes [ n ], a list grows, a set is refused. */
  public record Append() implements Op {
    public String name() {
      return "APPEND";
    }

    public String[] request(String key, int n) {
      return new String[] {"APPEND", key, Integer.toString(n)};
    }

    public Resp expected(String key, String state, int n) {
      if (state == null) {
        return new Resp.Int(1);
      } else if (state.startsWith("{")) {
        return new Resp.Error("ERR APPEND " + key + ": the value there is a set, not a list (APPEND adds to a"
            + " list; PUT replaces a value)");
      }
      return new Resp.Int(state.split(" ; ").length + 1);
    }

    public String after(String state, int n) {
      if (state == null) {
        return "[ " + n + " ]";
      }
      return state.startsWith("{") ? state : state.substring(0, state.length() - 2) + " ; " + n + " ]";
    }
  }

  /** JSON.SET key $ {"v":n}: as PUT. */
  public record JsonSet() implements Op {
    public String name() {
      return "JSON.SET";
    }

    public String[] request(String key, int n) {
      return new String[] {"JSON.SET", key, "$", "{\"v\":" + n + "}"};
    }

    public Resp expected(String key, String state, int n) {
      return Resp.OK;
    }

    public String after(String state, int n) {
      return "{ \"v\" : " + n + " }";
    }
  }

  /** JSON.GET key: the state as compact JSON. */
  public record JsonGet() implements Op {
    public String name() {
      return "JSON.GET";
    }

    public String[] request(String key, int n) {
      return new String[] {"JSON.GET", key};
    }

    public Resp expected(String key, String state, int n) {
      return state == null ? Resp.NullBulk.INSTANCE : Resp.Bulk.of(state.replace(" : ", ":").replace(" ; ", ",")
          .replace("{ ", "{").replace(" }", "}").replace("[ ", "[").replace(" ]", "]"));
    }

    public String after(String state, int n) {
      return state;
    }
  }

  /** JSON.DEL key: as DEL. */
  public record JsonDel() implements Op {
    public String name() {
      return "JSON.DEL";
    }

    public String[] request(String key, int n) {
      return new String[] {"JSON.DEL", key};
    }

    public Resp expected(String key, String state, int n) {
      return new Resp.Int(state == null ? 0 : 1);
    }

    public String after(String state, int n) {
      return null;
    }
  }

  /** The commands the matrix pipelines. */
  protected static final List<Op> OPS = List.of(new Put(), new Delete(), new Get(), new Query(), new Exists(), new Append(),
      new JsonSet(), new JsonGet(), new JsonDel());

  private int cases;

  /**
   * Runs one pipeline of {@code ops} on a fresh key that starts absent or holding {@code { "v" : 0 }},
   * sent in one write, and checks every reply, then the state through a new connection.
   */
  private void check(List<Op> ops, boolean present) throws Exception {
    String key = "order" + (cases++);
    String state = null;
    try (RespTestClient client = new RespTestClient(routerPort())) {
      if (present) {
        assertThat(client.call("PUT", key, "{ \"v\" : 0 }")).isEqualTo(Resp.OK);
        state = "{ \"v\" : 0 }";
      }
      List<String[]> pipeline = new ArrayList<>();
      List<Resp> expected = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        Op op = ops.get(i);
        int n = i + 1;
        pipeline.add(op.request(key, n));
        expected.add(op.expected(key, state, n));
        state = op.after(state, n);
        names.add(op.name());
      }
      client.sendAll(pipeline);
      List<Resp> replies = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        replies.add(client.read());
      }
      String what = (present ? "present" : "absent") + " key, pipeline " + names;
      assertThat(replies).as(what).isEqualTo(expected);
    }
    try (RespTestClient fresh = new RespTestClient(routerPort())) {
      Resp expectedState = state == null ? Resp.NullBulk.INSTANCE : Resp.Bulk.of(state);
      assertThat(fresh.call("GET", key)).as("GET %s after %s", key, ops).isEqualTo(expectedState);
    }
  }

  @Test
  protected void everyOrderedPairOnOneKeyTakesEffectInOrder() throws Exception {
    for (boolean present : new boolean[] {false, true}) {
      for (Op a : OPS) {
        for (Op b : OPS) {
          check(List.of(a, b), present);
        }
      }
    }
  }

  @Test
  protected void everyTripleWithAWriteOnOneKeyTakesEffectInOrder() throws Exception {
    for (boolean present : new boolean[] {false, true}) {
      for (Op a : tripleOps()) {
        for (Op b : tripleOps()) {
          for (Op c : tripleOps()) {
            boolean writes = List.of(a, b, c).stream().anyMatch(op -> op instanceof Put || op instanceof Delete
                || op instanceof Append || op instanceof JsonSet || op instanceof JsonDel);
            if (writes) {
              check(List.of(a, b, c), present);
            }
          }
        }
      }
    }
  }

  /** Issue 13, scenario 1, exactly: 200 of 200 ({@link #repetitions}). */
  @Test
  protected void deleteThenPutThenGetInOnePipelineKeepsThePut200Times() throws Exception {
    try (RespTestClient client = new RespTestClient(routerPort())) {
      for (int i = 0; i < repetitions(); i++) {
        String key = "dpx" + i;
        assertThat(client.call("PUT", key, "{ \"v\" : 1 }")).isEqualTo(Resp.OK);
        client.sendAll(List.of(new String[] {"DEL", key}, new String[] {"PUT", key, "{ \"v\" : 3 }"},
            new String[] {"GET", key}));
        assertThat(List.of(client.read(), client.read(), client.read())).as("try %d", i)
            .isEqualTo(List.of(new Resp.Int(1), Resp.OK, Resp.Bulk.of("{ \"v\" : 3 }")));
        assertThat(client.call("GET", key)).as("GET %s afterwards, try %d", key, i)
            .isEqualTo(Resp.Bulk.of("{ \"v\" : 3 }"));
      }
    }
  }

  /** The same key again and again: the issue's key was dpx each time. */
  @Test
  protected void theIssuesScenarioOnOneKey200Times() throws Exception {
    try (RespTestClient client = new RespTestClient(routerPort())) {
      assertThat(client.call("PUT", "dpx", "{ \"v\" : 1 }")).isEqualTo(Resp.OK);
      for (int i = 0; i < repetitions(); i++) {
        client.sendAll(List.of(new String[] {"DEL", "dpx"}, new String[] {"PUT", "dpx", "{ \"v\" : 3 }"},
            new String[] {"GET", "dpx"}));
        assertThat(List.of(client.read(), client.read(), client.read())).as("try %d", i)
            .isEqualTo(List.of(new Resp.Int(1), Resp.OK, Resp.Bulk.of("{ \"v\" : 3 }")));
        assertThat(client.call("GET", "dpx")).as("GET dpx afterwards, try %d", i)
            .isEqualTo(Resp.Bulk.of("{ \"v\" : 3 }"));
      }
    }
  }
}
