package kv.server;

import static kv.server.ServerFixture.error;
import static kv.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kv.clock.HybridLogicalClock;
import kv.record.AppendKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The replication forms of appends between two real servers, driven as a broker drives them:
 * VAPPEND to the replicas, a hint replayed with VPUT of the append's name, read repair and resync
 * copying VENTRIES entry by entry.
 */
class AppendReplicationTest {
  private KvServer a;
  private KvServer b;
  private Jedis ja;
  private Jedis jb;
  private final long now = System.currentTimeMillis();

  @BeforeEach
  void start() {
    a = KvServer.start(ServerConfig.defaults());
    b = KvServer.start(ServerConfig.defaults());
    ja = ServerFixture.client(a);
    jb = ServerFixture.client(b);
  }

  @AfterEach
  void stop() {
    ja.close();
    jb.close();
    a.close();
    b.close();
  }

  /** A version of broker {@code node} at {@code millis} after the test started. */
  private long version(int millis, int node) {
    return hlc(now + millis, node);
  }

  /* 44 bits of milliseconds, a 12-bit counter (0 here), an 8-bit node id, as HybridLogicalClock packs them. */
  private static long hlc(long millis, int node) {
    assertThat(HybridLogicalClock.millisOf((millis << 20) | node)).isEqualTo(millis);
    return (millis << 20) | node;
  }

  private static String v(long version) {
    return Long.toString(version);
  }

  @Test
  void vappendIsIdempotentAndLosesOnlyToAPutOrDeleteAsNew() {
    long put = version(1, 1);
    long a1 = version(2, 1);
    long a2 = version(3, 2);
    assertThat(send(ja, Cmd.VPUT, "pets", v(put), "[ \"cat\" ]")).isEqualTo(1L);
    assertThat(send(ja, Cmd.VAPPEND, "pets", v(a2), ".", "\"dog\"")).isEqualTo(1L);
    assertThat(send(ja, Cmd.VAPPEND, "pets", v(a1), ".", "\"mouse\"")).isEqualTo(1L);
    assertThat(send(ja, Cmd.VAPPEND, "pets", v(a1), ".", "\"mouse\"")).as("a replay").isEqualTo(0L);
    assertThat(send(ja, Cmd.GET, "pets")).isEqualTo("[ \"cat\" ; \"mouse\" ; \"dog\" ]");
    assertThat(send(ja, Cmd.VGET, "pets")).isEqualTo(List.of(a2, "[ \"cat\" ; \"mouse\" ; \"dog\" ]"));
    assertThat(send(ja, Cmd.VQUERY, "pets.1")).isEqualTo(List.of(a2, "\"mouse\""));
    assertThat(send(ja, Cmd.VAPPEND, "pets", v(put), ".", "\"old\"")).as("not newer than the PUT").isEqualTo(0L);
    assertThat(send(ja, Cmd.VVERSIONS, "pets", AppendKeys.internalKey("pets", a1), "nothing"))
        .isEqualTo(List.of(put, a1, -1L));
    assertThat(send(ja, Cmd.VAPPEND, "rec", v(a1), ".a.\"b c\"", "1")).isEqualTo(1L);
    assertThat(send(ja, Cmd.GET, "rec")).isEqualTo("{ \"a\" : { \"b c\" : [ 1 ] } }");
    assertThat(error(ja, Cmd.VAPPEND, "rec", v(a2), "a.b", "1")).startsWith("ERR invalid path: relative path 'a.b'");
    assertThat(error(ja, Cmd.VAPPEND, "rec", v(a2), ".", "mouse")).startsWith("ERR invalid value: ");
    assertThat(error(ja, Cmd.VAPPEND, "r\u0000x", v(a2), ".", "1")).startsWith("ERR key: ");
    long farAhead = hlc(now + 3_600_000, 1);
    assertThat(error(ja, Cmd.VAPPEND, "rec", v(farAhead), ".", "1")).contains("ms ahead of this server's clock");
  }

  @Test
  void anAppendsNameReadsAndCopiesLikeAnyKey() {
    long a1 = version(2, 1);
    send(ja, Cmd.VAPPEND, "pets", v(a1), ".", "\"dog\"");
    String name = AppendKeys.internalKey("pets", a1);
    String stored = "{ \"path\" : [] ; \"value\" : \"dog\" }";
    assertThat(send(ja, Cmd.VGET, name)).isEqualTo(List.of(a1, stored));
    assertThat(send(ja, Cmd.VENTRIES, name)).isEqualTo(List.of(name, a1, stored));
    // a hint replayed, or a resync's copy: VPUT of the name with its stored form
    assertThat(send(jb, Cmd.VPUT, name, v(a1), stored)).isEqualTo(1L);
    assertThat(send(jb, Cmd.VPUT, name, v(a1), stored)).isEqualTo(0L);
    assertThat(send(jb, Cmd.GET, "pets")).isEqualTo("[ \"dog\" ]");
    assertThat(error(jb, Cmd.VPUT, name, v(a1 + 1), stored)).startsWith("ERR version: " + (a1 + 1)
        + " differs from the " + a1 + " in the append's name (expected: the same version); nothing was applied");
    assertThat(error(jb, Cmd.VPUT, name, v(a1), "\"dog\"")).startsWith("ERR value: a string (expected: an append entry");
    assertThat(error(jb, Cmd.VPUT, "pets\u0000x", v(a1), stored)).startsWith("ERR key: 'pets\\u0000x' is not an"
        + " append's name");
    assertThat(error(jb, Cmd.VDEL, name, v(a1))).startsWith("ERR VDEL of an append's name: an append is never deleted");
  }

  /**
   * Two brokers append to one key concurrently; each reaches one replica late (a down server's
   * hint) and in another order. Copying the newest replica's VENTRIES to the other (read repair)
   * or the entries the other lacks (resync: VKEYS and VVERSIONS) makes both read the same list,
   * with every acknowledged element once.
   */
  @Test
  void concurrentAppendsThroughTwoBrokersConvergeByCopyingEntries() {
    long put = version(1, 1);
    send(ja, Cmd.VPUT, "pets", v(put), "[ \"cat\" ]");
    send(jb, Cmd.VPUT, "pets", v(put), "[ \"cat\" ]");
    long x = version(5, 1);
    long y = version(5, 2); // the same millisecond through another broker
    long z = version(6, 2);
    send(ja, Cmd.VAPPEND, "pets", v(x), ".", "\"x\"");
    send(jb, Cmd.VAPPEND, "pets", v(z), ".", "\"z\"");
    send(jb, Cmd.VAPPEND, "pets", v(y), ".", "\"y\"");
    assertThat(send(ja, Cmd.GET, "pets")).isEqualTo("[ \"cat\" ; \"x\" ]");
    assertThat(send(jb, Cmd.GET, "pets")).isEqualTo("[ \"cat\" ; \"y\" ; \"z\" ]");
    assertThat(send(jb, Cmd.VGET, "pets")).asList().first().isEqualTo(z);

    // read repair: the newest replica's stored entries, each copied to the stale one
    copyEntries(jb, ja, "pets");
    // resync the other way: what VKEYS lists and VVERSIONS says is missing
    List<String> missing = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<Object> page = (List<Object>) ((List<Object>) send(ja, Cmd.VKEYS, "0")).get(1);
    for (int i = 0; i < page.size(); i += 2) {
      String name = (String) page.get(i);
      long theirs = (Long) ((List<?>) send(jb, Cmd.VVERSIONS, name)).get(0);
      if ((Long) page.get(i + 1) > theirs) {
        missing.add(name);
      }
    }
    assertThat(missing).containsExactly(AppendKeys.internalKey("pets", x));
    for (String name : missing) {
      copyEntries(ja, jb, name);
    }
    String expected = "[ \"cat\" ; \"x\" ; \"y\" ; \"z\" ]";
    assertThat(send(ja, Cmd.GET, "pets")).isEqualTo(expected);
    assertThat(send(jb, Cmd.GET, "pets")).isEqualTo(expected);
    assertThat(send(ja, Cmd.VENTRIES, "pets")).isEqualTo(send(jb, Cmd.VENTRIES, "pets"));

    // a PUT through one broker supersedes the appends; the late copy of one is :0 and stays out
    long reset = version(9, 1);
    send(ja, Cmd.VPUT, "pets", v(reset), "[]");
    assertThat(send(ja, Cmd.VENTRIES, "pets")).isEqualTo(List.of("pets", reset, "[]"));
    assertThat(send(ja, Cmd.VVERSIONS, AppendKeys.internalKey("pets", x))).as("resync: nothing to copy")
        .isEqualTo(List.of(reset));
    assertThat(send(ja, Cmd.VAPPEND, "pets", v(y), ".", "\"y\"")).isEqualTo(0L);
    copyEntries(ja, jb, "pets");
    assertThat(send(jb, Cmd.GET, "pets")).isEqualTo("[]");
    assertThat(send(jb, Cmd.VDEL, "pets", v(reset + 1))).isEqualTo(1L);
    assertThat(send(jb, Cmd.VENTRIES, "pets")).isEqualTo(Arrays.asList("pets", reset + 1, null));
  }

  /** What a broker does to copy a key's entries: VENTRIES from one, VPUT or VDEL of each to the other. */
  private static void copyEntries(Jedis from, Jedis to, String key) {
    @SuppressWarnings("unchecked")
    List<Object> triples = (List<Object>) send(from, Cmd.VENTRIES, key);
    for (int i = 0; i < triples.size(); i += 3) {
      String name = (String) triples.get(i);
      String version = Long.toString((Long) triples.get(i + 1));
      String text = (String) triples.get(i + 2);
      if (text == null) {
        send(to, Cmd.VDEL, name, version);
      } else {
        send(to, Cmd.VPUT, name, version, text);
      }
    }
  }
}
