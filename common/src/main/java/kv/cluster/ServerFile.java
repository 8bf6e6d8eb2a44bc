package kv.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the server list (SPEC.md §6): one server per line as {@code ip port} or {@code ip:port},
 * optionally followed by {@code raft=PORT} (the server's Raft port in strong mode, SPEC.md §8);
 * blank lines and {@code #} comments (also at the end of a line) are ignored. A pure parser;
 * stateless and thread-safe.
 */
public final class ServerFile {
  private static final String RAFT_PREFIX = "raft=";

  private ServerFile() {}

  /** Reads {@code file}; errors name the file as given. */
  public static List<ServerAddress> read(java.nio.file.Path file) throws ServerFileException {
    return addresses(readLines(file));
  }

  /** Parses the text of a server file; {@code name} is used in error messages. */
  public static List<ServerAddress> parse(String name, String text) throws ServerFileException {
    return addresses(parseLines(name, text));
  }

  /** Reads {@code file} with each line's optional Raft port; errors name the file as given. */
  public static List<ServerLine> readLines(java.nio.file.Path file) throws ServerFileException {
    String name = file.toString();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(name, reader);
    } catch (NoSuchFileException e) {
      throw new ServerFileException(name + ": no such file (expected: a server file with one `ip port` per line)", e);
    } catch (IOException e) {
      throw new ServerFileException(name + ": cannot read (" + e + ")", e);
    }
  }

  /** Parses the text of a server file with each line's optional Raft port. */
  public static List<ServerLine> parseLines(String name, String text) throws ServerFileException {
    try {
      return parse(name, new StringReader(text));
    } catch (IOException e) {
      throw new IllegalStateException("a StringReader does not fail", e);
    }
  }

  private static List<ServerAddress> addresses(List<ServerLine> lines) {
    List<ServerAddress> servers = new ArrayList<>(lines.size());
    for (ServerLine line : lines) {
      servers.add(line.address());
    }
    return List.copyOf(servers);
  }

  private static List<ServerLine> parse(String name, Reader in) throws IOException, ServerFileException {
    BufferedReader reader = in instanceof BufferedReader b ? b : new BufferedReader(in);
    List<ServerLine> servers = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    int lineNumber = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      int hash = line.indexOf('#');
      String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (content.isEmpty()) {
        continue;
      }
      String[] words = content.split("\\s+");
      int raftPort = 0;
      if (words.length > 1 && words[words.length - 1].startsWith(RAFT_PREFIX)) {
        raftPort = parseRaftPort(name, lineNumber, line, words[words.length - 1]);
        content = content.substring(0, content.lastIndexOf(RAFT_PREFIX)).strip();
      }
      ServerAddress address = parseLine(name, lineNumber, line, content);
      Integer previous = firstLine.putIfAbsent(address.toString(), lineNumber);
      if (previous != null) {
        throw error(name, lineNumber, line, "duplicate server " + address
            + " (expected: each server once; it is already on line " + previous + ")");
      }
      servers.add(new ServerLine(address, raftPort));
    }
    if (servers.isEmpty()) {
      throw new ServerFileException(name + ": no servers (expected: at least one line `ip port` or `ip:port`)");
    }
    return List.copyOf(servers);
  }

  private static ServerAddress parseLine(String name, int lineNumber, String line, String content)
      throws ServerFileException {
    String[] words = content.split("\\s+");
    String host;
    String port;
    if (words.length == 2) {
      host = words[0];
      port = words[1];
    } else if (words.length == 1 && content.indexOf(':') > 0 && content.indexOf(':') == content.lastIndexOf(':')) {
      int colon = content.indexOf(':');
      host = content.substring(0, colon);
      port = content.substring(colon + 1);
    } else {
      throw error(name, lineNumber, line, "expected `ip port` or `ip:port`");
    }
    if (host.indexOf(':') >= 0) {
      throw error(name, lineNumber, line, "host: " + host + " (expected: an IPv4 address or host name without ':')");
    }
    int portNumber;
    try {
      portNumber = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw error(name, lineNumber, line, "port: " + port + " (expected: an integer 1..65535)");
    }
    if (portNumber < 1 || portNumber > 65535) {
      throw error(name, lineNumber, line, "port: " + port + " (expected: an integer 1..65535)");
    }
    return new ServerAddress(host, portNumber);
  }

  private static int parseRaftPort(String name, int lineNumber, String line, String word) throws ServerFileException {
    String port = word.substring(RAFT_PREFIX.length());
    try {
      int value = Integer.parseInt(port);
      if (value >= 1 && value <= 65535) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error(name, lineNumber, line, "raft port: " + port + " (expected: raft=PORT with an integer 1..65535)");
  }

  private static ServerFileException error(String name, int lineNumber, String line, String problem) {
    return new ServerFileException(name + " line " + lineNumber + ": \"" + line.strip() + "\": " + problem);
  }
}
