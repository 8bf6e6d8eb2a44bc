package kv.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kv.cluster.ServerAddress;
import kv.cluster.ServerLine;
import kv.cluster.XxHash64;

/**
 * What makes a strong-mode cluster the same cluster at every start: its number of groups G, the
 * members per group k and its servers with their Raft ports. A server records it at its first
 * start and refuses a later start whose identity differs ({@link #mismatch}); brokers compare
 * theirs with the one a server reports in INFO ({@link #infoFields}). The order of the server
 * file does not matter. Immutable and thread-safe.
 *
 * @param groups the number of Raft groups, 1..{@link GroupLayout#MAX_GROUPS}
 * @param k the members of each group, 1..number of servers
 * @param servers the servers in the server file's order
 */
public record ClusterIdentity(int groups, int k, List<Member> servers) {
  /*
   * Text form (the file a server writes in its data directory), one item per line, '#' comments:
   *   groups 2
   *   k 3
   *   server 127.0.0.1:9000 raft=19000
   * INFO fields: raft_groups, raft_k, raft_servers (ip:port/raftport, comma separated, sorted) and
   * raft_cluster_digest (hex XXH64 of the canonical form; group ids are derived from it).
   */
  public ClusterIdentity {
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("servers: none (expected: at least one)");
    }
    if (k < 1 || k > servers.size()) {
      throw new IllegalArgumentException("k: " + k + " (expected: 1.." + servers.size() + ", the number of servers)");
    }
    if (groups < 1 || groups > GroupLayout.MAX_GROUPS) {
      throw new IllegalArgumentException("groups: " + groups + " (expected: 1.." + GroupLayout.MAX_GROUPS + ")");
    }
    checkPorts(servers);
  }

  /** The identity of a server file's servers (a line without raft=PORT gets PORT + 10000). */
  public static ClusterIdentity of(List<ServerLine> lines, int k, int groups) {
    List<Member> members = new ArrayList<>(lines.size());
    for (ServerLine line : lines) {
      int raft = line.raftPort();
      if (raft == 0) {
        raft = line.address().port() + GroupLayout.RAFT_PORT_OFFSET;
        if (raft > 65535) {
          throw new IllegalArgumentException("raft port of " + line.address() + ": " + raft
              + " (port + " + GroupLayout.RAFT_PORT_OFFSET + ") is past 65535 (expected: give it in the server file,"
              + " e.g. " + line.address() + " raft=" + (line.address().port() - GroupLayout.RAFT_PORT_OFFSET) + ")");
        }
      }
      members.add(new Member(line.address(), raft));
    }
    return new ClusterIdentity(groups, k, members);
  }

  /** The canonical one-line form: G, k and the servers sorted by address. */
  public String canonical() {
    StringBuilder b = new StringBuilder("groups=").append(groups).append(";k=").append(k).append(";servers=");
    b.append(serverList());
    return b.toString();
  }

  /** Hex XXH64 of {@link #canonical()}. */
  public String digest() {
    return String.format("%016x", XxHash64.hash(canonical().getBytes(StandardCharsets.UTF_8), 0));
  }

  /** {@code ip:port/raftport,...} sorted by address. */
  public String serverList() {
    List<Member> sorted = new ArrayList<>(servers);
    sorted.sort(Comparator.comparing(m -> m.address().toString()));
    StringBuilder b = new StringBuilder();
    for (Member m : sorted) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(m.address()).append('/').append(m.raftPort());
    }
    return b.toString();
  }

  /** The fields a strong-mode server reports in INFO's Raft section. */
  public Map<String, String> infoFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("raft_groups", Integer.toString(groups));
    fields.put("raft_k", Integer.toString(k));
    fields.put("raft_servers", serverList());
    fields.put("raft_cluster_digest", digest());
    return fields;
  }

  /**
   * The identity in the text of an INFO reply (its {@code name:value} lines; other lines are
   * ignored), e.g. for a broker checking its server file and -k against a server's.
   *
   * @throws IllegalArgumentException naming a missing or malformed field (a server in eventual
   *     mode has none of them)
   */
  public static ClusterIdentity fromInfoText(String info) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return fromInfo(fields);
  }

  /**
   * The identity in INFO fields (see {@link #infoFields}).
   *
   * @throws IllegalArgumentException naming a missing or malformed field
   */
  public static ClusterIdentity fromInfo(Map<String, String> fields) {
    int groups = intField(fields, "raft_groups");
    int k = intField(fields, "raft_k");
    String list = fields.get("raft_servers");
    if (list == null || list.isEmpty()) {
      throw new IllegalArgumentException("raft_servers: missing (expected: ip:port/raftport,... in INFO)");
    }
    List<Member> members = new ArrayList<>();
    for (String item : list.split(",")) {
      int slash = item.lastIndexOf('/');
      int colon = item.lastIndexOf(':', slash);
      try {
        members.add(new Member(new ServerAddress(item.substring(0, colon),
            Integer.parseInt(item.substring(colon + 1, slash))), Integer.parseInt(item.substring(slash + 1))));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("raft_servers: '" + item + "' (expected: ip:port/raftport)", e);
      }
    }
    return new ClusterIdentity(groups, k, members);
  }

  /** The text form, for the file a server records at its first start. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append("# The identity of this strong-mode cluster, recorded at this server's first start.\n");
    b.append("# A start with other --groups, -k or servers is refused (see the README, Strong mode).\n");
    b.append("groups ").append(groups).append('\n');
    b.append("k ").append(k).append('\n');
    for (Member m : servers) {
      b.append("server ").append(m.address()).append(" raft=").append(m.raftPort()).append('\n');
    }
    return b.toString();
  }

  /**
   * Parses {@link #toText()}'s form.
   *
   * @throws IllegalArgumentException naming {@code name}, the line and what is expected
   */
  public static ClusterIdentity parseText(String name, String text) {
    int groups = -1;
    int k = -1;
    List<Member> members = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] w = line.split("\\s+");
      try {
        if (w[0].equals("groups") && w.length == 2) {
          groups = Integer.parseInt(w[1]);
        } else if (w[0].equals("k") && w.length == 2) {
          k = Integer.parseInt(w[1]);
        } else if (w[0].equals("server") && w.length == 3 && w[2].startsWith("raft=")) {
          int colon = w[1].lastIndexOf(':');
          members.add(new Member(new ServerAddress(w[1].substring(0, colon), Integer.parseInt(w[1].substring(colon + 1))),
              Integer.parseInt(w[2].substring(5))));
        } else {
          throw new IllegalArgumentException("unknown item");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(name + " line " + (i + 1) + ": \"" + line
            + "\" (expected: groups N, k N or server ip:port raft=PORT)", e);
      }
    }
    if (groups < 0 || k < 0 || members.isEmpty()) {
      throw new IllegalArgumentException(name + ": incomplete (expected: a groups line, a k line and server lines)");
    }
    try {
      return new ClusterIdentity(groups, k, members);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /**
   * How this identity (a start's flags and server file) differs from {@code cluster}'s, in one
   * line ending with {@code (recorded in WHERE)}; empty when they are the same cluster.
   */
  public Optional<String> mismatch(ClusterIdentity cluster, String recordedWhere) {
    List<String> diffs = new ArrayList<>();
    if (groups != cluster.groups) {
      diffs.add("--groups " + groups + " differs from this cluster's " + cluster.groups);
    }
    if (k != cluster.k) {
      diffs.add("-k " + k + " differs from this cluster's " + cluster.k);
    }
    Map<ServerAddress, Integer> theirs = new HashMap<>();
    for (Member m : cluster.servers) {
      theirs.put(m.address(), m.raftPort());
    }
    Map<ServerAddress, Integer> ours = new HashMap<>();
    List<String> added = new ArrayList<>();
    List<String> ports = new ArrayList<>();
    for (Member m : servers) {
      ours.put(m.address(), m.raftPort());
      Integer port = theirs.get(m.address());
      if (port == null) {
        added.add(m.address().toString());
      } else if (port != m.raftPort()) {
        ports.add("gives " + m.address() + " raft port " + m.raftPort() + " where this cluster's is " + port);
      }
    }
    List<String> missing = new ArrayList<>();
    for (Member m : cluster.servers) {
      if (!ours.containsKey(m.address())) {
        missing.add(m.address().toString());
      }
    }
    if (!added.isEmpty()) {
      diffs.add("the server file adds " + String.join(", ", added) + " (not in this cluster)");
    }
    if (!missing.isEmpty()) {
      diffs.add("the server file lacks " + String.join(", ", missing) + " (in this cluster)");
    }
    for (String p : ports) {
      diffs.add("the server file " + p);
    }
    if (diffs.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(String.join("; ", diffs) + " (recorded in " + recordedWhere + ")");
  }

  private static int intField(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + ": missing (expected: the INFO of a strong-mode server, with its"
          + " # Raft section)");
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' (expected: an integer in INFO's Raft section)", e);
    }
  }

  /* Two servers on one host must not share a port, RESP or Raft. */
  private static void checkPorts(List<Member> servers) {
    Map<String, String> used = new HashMap<>();
    for (Member m : servers) {
      used.put(m.address().toString(), "the RESP port of " + m.address());
    }
    for (Member m : servers) {
      String key = m.address().host() + ":" + m.raftPort();
      String previous = used.putIfAbsent(key, "the raft port of " + m.address());
      if (previous != null) {
        throw new IllegalArgumentException("raft port of " + m.address() + ": " + m.raftPort() + " is also "
            + previous + " (expected: a port no other server on " + m.address().host() + " uses)");
      }
    }
  }
}
