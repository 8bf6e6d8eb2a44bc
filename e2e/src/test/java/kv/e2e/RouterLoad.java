package kv.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kv.e2e.Linearizability.Op;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Clients writing and reading through a broker's RESP port while the test kills servers: each
 * client PUTs, GETs and DELETEs a few shared keys and a key of its own, and every operation is
 * recorded (call, return, result) for the {@link Linearizability} checker; each also APPENDs
 * numbers to a list of its own ({@link #checkLists}: none lost, none twice). A write answered
 * NOQUORUM, UNKNOWN, TRYAGAIN or "no answer" has an unknown outcome; a failed read did nothing.
 * On its own key a client also checks what a lost or twice-applied write would show: right after
 * its acknowledged PUT a DELETE must answer 1, and its last acknowledged value must be there at
 * the end. After a failure a client reads the key until a read succeeds before it goes on, so a
 * group that fails requests at once does not fill the history with writes of unknown outcome
 * (each may take effect at any later time, and the checker's search grows with them). Test code;
 * thread-safe.
 */
final class RouterLoad {
  static final int SHARED_KEYS = 4;

  final List<Op> history = Collections.synchronizedList(new ArrayList<>());
  final AtomicLong acknowledgedWrites = new AtomicLong();
  final AtomicLong unknownWrites = new AtomicLong();
  final AtomicLong failedReads = new AtomicLong();
  /** Anything a correct cluster never answers (a second DELETE of a PUT, an unexpected error), with its client. */
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  /** Per client (each written by its own thread, read after join): what its own key holds. */
  private final String[] ownValue;
  private final boolean[] ownKnown;
  private final int port;
  /** Per client: the elements of its APPENDs to its list that were acknowledged, and those of unknown outcome. */
  private final List<java.util.Set<Long>> appended = new ArrayList<>();
  private final List<java.util.Set<Long>> appendsUnknown = new ArrayList<>();
  /** Per client: the list's length it expects before its next APPEND (-1: unknown after a failure). */
  private final long[] listLength;

  RouterLoad(int port, int clients) {
    this.port = port;
    this.ownValue = new String[clients];
    this.ownKnown = new boolean[clients];
    this.listLength = new long[clients];
    for (int c = 0; c < clients; c++) {
      appended.add(java.util.concurrent.ConcurrentHashMap.newKeySet());
      appendsUnknown.add(java.util.concurrent.ConcurrentHashMap.newKeySet());
    }
    java.util.Arrays.fill(ownKnown, true); // absent at the start
    for (int c = 0; c < clients; c++) {
      int id = c;
      Thread t = new Thread(() -> run(id), "router-load-" + c);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  static String own(int client) {
    return "own" + client;
  }

  static String value(int client, int i) {
    return "{ \"c\" : " + client + " ; \"i\" : " + i + " }";
  }

  private void run(int id) {
    Random random = new Random(id);
    try (Jedis jedis = new Jedis("127.0.0.1", port, 60_000)) {
      for (int i = 0; !stop.get(); i++) {
        boolean mine = random.nextBoolean();
        String key = mine ? own(id) : "shared" + random.nextInt(SHARED_KEYS);
        int choice = random.nextInt(12);
        if (choice >= 10) {
          append(jedis, id, i);
        } else if (choice < 5) {
          put(jedis, id, key, value(id, i), mine);
        } else if (choice < 8) {
          get(jedis, id, key);
        } else {
          boolean holdsPut = mine && ownKnown[id] && ownValue[id] != null;
          Long deleted = delete(jedis, id, key);
          if (holdsPut && deleted != null && deleted != 1) {
            // nobody else writes this key: a lost PUT or a DELETE applied twice would answer 0
            violations.add("client " + id + ": DELETE " + key + " after its acknowledged PUT answered " + deleted);
          }
          if (mine) {
            ownKnown[id] = deleted != null;
            ownValue[id] = null;
          }
        }
      }
    }
  }

  static String list(int client) {
    return "list" + client;
  }

  /*
   * APPEND of a number no other APPEND uses to the client's own list: an acknowledged one must
   * answer the length it knew plus one (one applied twice would answer more), and be in the list
   * once at the end.
   */
  private void append(Jedis jedis, int id, long element) {
    try {
      Long length = (Long) jedis.sendCommand(() -> "APPEND".getBytes(), list(id), Long.toString(element));
      appended.get(id).add(element);
      acknowledgedWrites.incrementAndGet();
      if (listLength[id] >= 0 && length != listLength[id] + 1) {
        violations.add("client " + id + ": APPEND to a list of " + listLength[id] + " answered length " + length);
      }
      listLength[id] = length;
    } catch (JedisDataException e) {
      expected(id, e);
      unknownWrites.incrementAndGet();
      appendsUnknown.get(id).add(element);
      listLength[id] = -1;
      settle(jedis, id, list(id));
    }
  }

  /**
   * What each client's list must hold, checked against {@code read} (the list's text by key): every
   * acknowledged element once, an element of unknown outcome at most once, nothing else. Returns
   * the problems found.
   */
  List<String> checkLists(java.util.function.Function<String, String> read) {
    List<String> problems = new ArrayList<>();
    for (int c = 0; c < threads.size(); c++) {
      String text = read.apply(list(c));
      List<Long> items = new ArrayList<>();
      if (text != null && !text.equals("[]")) {
        for (String item : text.substring(2, text.length() - 2).split(" ; ")) {
          items.add(Long.parseLong(item));
        }
      }
      java.util.Set<Long> seen = new java.util.HashSet<>();
      for (long item : items) {
        if (!seen.add(item)) {
          problems.add(list(c) + ": " + item + " appended twice");
        } else if (!appended.get(c).contains(item) && !appendsUnknown.get(c).contains(item)) {
          problems.add(list(c) + ": " + item + " was never appended");
        }
      }
      for (long item : appended.get(c)) {
        if (!seen.contains(item)) {
          problems.add(list(c) + ": acknowledged APPEND of " + item + " lost");
        }
      }
    }
    return problems;
  }

  /** APPENDs acknowledged, over all clients. */
  long acknowledgedAppends() {
    return appended.stream().mapToLong(java.util.Set::size).sum();
  }

  /* Until a read of the key succeeds (a failed read has no effect and is not recorded), 50 ms apart. */
  private void settle(Jedis jedis, int id, String key) {
    while (!stop.get()) {
      try {
        jedis.get(key);
        return;
      } catch (JedisDataException e) {
        expected(id, e);
        try {
          Thread.sleep(50); // the pace of a client retrying, not a wait for a condition
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void put(Jedis jedis, int id, String key, String value, boolean mine) {
    long start = System.nanoTime();
    try {
      Object r = jedis.sendCommand(() -> "PUT".getBytes(), key, value);
      boolean ok = "OK".equals(new String((byte[]) r));
      history.add(Op.put(id, key, value, start, System.nanoTime(), ok));
      if (ok) {
        acknowledgedWrites.incrementAndGet();
        if (mine) {
          ownValue[id] = value;
          ownKnown[id] = true;
        }
      } else {
        violations.add("client " + id + ": PUT answered " + r);
      }
    } catch (JedisDataException e) {
      expected(id, e);
      unknownWrites.incrementAndGet();
      history.add(Op.put(id, key, value, start, 0, false));
      if (mine) {
        ownKnown[id] = false;
      }
      settle(jedis, id, key);
    }
  }

  private void get(Jedis jedis, int id, String key) {
    long start = System.nanoTime();
    try {
      String v = jedis.get(key);
      history.add(Op.get(id, key, v, start, System.nanoTime()));
    } catch (JedisDataException e) {
      expected(id, e);
      failedReads.incrementAndGet();
      settle(jedis, id, key);
    }
  }

  /** The DELETE's answer (0 or 1), or null when its outcome is unknown. */
  private Long delete(Jedis jedis, int id, String key) {
    long start = System.nanoTime();
    try {
      Long n = (Long) jedis.sendCommand(() -> "DELETE".getBytes(), key);
      history.add(Op.delete(id, key, n, start, System.nanoTime(), true));
      acknowledgedWrites.incrementAndGet();
      return n;
    } catch (JedisDataException e) {
      expected(id, e);
      unknownWrites.incrementAndGet();
      history.add(Op.delete(id, key, 0, start, 0, false));
      settle(jedis, id, key);
      return null;
    }
  }

  /* The answers a failover may give; anything else is a violation. */
  private void expected(int id, JedisDataException e) {
    String m = String.valueOf(e.getMessage());
    if (!(m.startsWith("NOQUORUM ") || m.startsWith("UNKNOWN ") || m.startsWith("TRYAGAIN ")
        || m.startsWith("ERR no answer within"))) {
      violations.add("client " + id + ": " + m);
    }
  }

  /** Writes acknowledged whose call started after {@code nanos}. */
  long acknowledgedWritesStartedAfter(long nanos) {
    synchronized (history) {
      return history.stream().filter(o -> o.known() && o.kind() != Linearizability.Kind.GET && o.start() > nanos).count();
    }
  }

  /** When the first write called after {@code nanos} was acknowledged, or -1. */
  long firstAcknowledgedWriteEndAfter(long nanos) {
    synchronized (history) {
      return history.stream().filter(o -> o.known() && o.kind() != Linearizability.Kind.GET && o.start() > nanos)
          .mapToLong(Op::end).min().orElse(-1);
    }
  }

  /** Stops the clients and returns the history. */
  List<Op> finish() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(180_000);
    }
    return new ArrayList<>(history);
  }

  /**
   * Each client's own key as it must be now: its last acknowledged value (null: deleted), unless
   * a write with an unknown outcome followed it (then the client is left out).
   */
  Map<String, String> expectedOwnValues() {
    Map<String, String> expected = new HashMap<>();
    for (int c = 0; c < threads.size(); c++) {
      if (ownKnown[c]) {
        expected.put(own(c), ownValue[c]);
      }
    }
    return expected;
  }
}
