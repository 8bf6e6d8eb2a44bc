package kv.raft;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state machine's memory of requests applied at most once ({@link RequestId}): per client,
 * the replies of its requests at or above its floor. A request seen before gets its first reply
 * again instead of being applied twice. Deterministic: every member applies the same entries in
 * the same order and so holds the same table, which is part of each snapshot. Not thread-safe
 * (the state machine applies entries on one thread and guards snapshots).
 */
final class Sessions {
  /*
   * Bounds, both deterministic: at most MAX_CLIENTS clients (the least recently used one is
   * forgotten; a client that comes back after that is a new client, so a retry of a request it
   * sent before being forgotten would apply again: with one client per process, thousands of
   * processes would have to come between), and at most MAX_REPLIES replies per client (the
   * oldest is dropped and the floor raised past it, so a retry of it is refused, never
   * re-applied). A client's floor only grows.
   */
  static final int MAX_CLIENTS = 4096;
  static final int MAX_REPLIES = 100_000;
  private static final int FORMAT = 1;

  /** What to do with a request. */
  sealed interface Check permits Fresh, Duplicate, TooOld {}

  /** Never seen: apply it, then {@link #record} its reply. */
  record Fresh() implements Check {}

  /** Applied before: answer {@code reply} (the encoded RESP reply) again. */
  record Duplicate(byte[] reply) implements Check {}

  /** Below the client's floor: its answer was forgotten, so it must not be applied again. */
  record TooOld(long floor) implements Check {}

  private static final Fresh FRESH = new Fresh();

  private static final class Session {
    long floor;
    final TreeMap<Long, byte[]> replies = new TreeMap<>();

    void raiseFloor(long to) {
      if (to > floor) {
        floor = to;
        replies.headMap(to).clear();
      }
    }
  }

  private final LinkedHashMap<String, Session> clients = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  Check check(RequestId id) {
    Session s = clients.get(id.client());
    if (s == null) {
      s = new Session();
      clients.put(id.client(), s);
    }
    s.raiseFloor(id.floor());
    if (id.seq() < s.floor) {
      return new TooOld(s.floor);
    }
    byte[] reply = s.replies.get(id.seq());
    return reply == null ? FRESH : new Duplicate(reply);
  }

  /** Remembers the reply of a request {@link #check} found fresh. */
  void record(RequestId id, byte[] reply) {
    Session s = clients.get(id.client());
    s.replies.put(id.seq(), reply);
    if (s.replies.size() > MAX_REPLIES) {
      s.raiseFloor(s.replies.firstKey() + 1);
    }
  }

  int clientCount() {
    return clients.size();
  }

  int replyCount() {
    int n = 0;
    for (Session s : clients.values()) {
      n += s.replies.size();
    }
    return n;
  }

  void clear() {
    clients.clear();
  }

  /** Writes the table, least recently used client first (the order is part of the state). */
  void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(FORMAT);
    out.writeInt(clients.size());
    for (Map.Entry<String, Session> e : clients.entrySet()) {
      out.writeUTF(e.getKey());
      Session s = e.getValue();
      out.writeLong(s.floor);
      out.writeInt(s.replies.size());
      for (Map.Entry<Long, byte[]> r : s.replies.entrySet()) {
        out.writeLong(r.getKey());
        out.writeInt(r.getValue().length);
        out.write(r.getValue());
      }
    }
  }

  /** Replaces the table with one {@link #writeTo} wrote. */
  void readFrom(DataInputStream in) throws IOException {
    clients.clear();
    int format = in.readInt();
    if (format != FORMAT) {
      throw new IOException("sessions: format " + format + " (expected: " + FORMAT + ")");
    }
    int n = checkCount("clients", in.readInt(), MAX_CLIENTS);
    for (int i = 0; i < n; i++) {
      String client = in.readUTF();
      Session s = new Session();
      s.floor = in.readLong();
      int replies = checkCount("replies", in.readInt(), MAX_REPLIES);
      for (int j = 0; j < replies; j++) {
        long seq = in.readLong();
        byte[] reply = new byte[checkCount("reply bytes", in.readInt(), 256 * 1024 * 1024)];
        in.readFully(reply);
        s.replies.put(seq, reply);
      }
      clients.put(client, s);
    }
  }

  /** Sessions in LRU order, for tests. */
  Iterator<String> clientsInOrder() {
    return clients.keySet().iterator();
  }

  private static int checkCount(String what, int n, int max) throws IOException {
    if (n < 0 || n > max) {
      throw new IOException("sessions: " + what + " " + n + " (expected: 0.." + max + ")");
    }
    return n;
  }
}
