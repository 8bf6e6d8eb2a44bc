package kv.broker.router;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import kv.resp.connection.ClientState;
import kv.security.Users;

/**
 * The router's connected clients (for CLIENT LIST and KILL, in id order) and the counters INFO
 * reports: connections, commands, the port. Thread-safe.
 */
final class RouterClients {
  private final ConcurrentSkipListMap<Long, ClientState> connected = new ConcurrentSkipListMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final Users users;
  private final AtomicLong commands = new AtomicLong();
  private volatile int port;

  /** The clients of a port whose users are {@code users} ({@link Users#OPEN}: no password). */
  RouterClients(Users users) {
    this.users = users;
  }

  /** A new connection from {@code remote} to {@code local}, now connected. */
  ClientState open(SocketAddress remote, SocketAddress local) {
    ClientState client = new ClientState(ids.incrementAndGet(), address(remote), address(local),
        System.currentTimeMillis(), users);
    connected.put(client.id(), client);
    total.incrementAndGet();
    return client;
  }

  void closed(ClientState client) {
    connected.remove(client.id());
  }

  void command() {
    commands.incrementAndGet();
  }

  Collection<ClientState> clients() {
    return connected.values();
  }

  long connectedClients() {
    return connected.size();
  }

  long totalConnections() {
    return total.get();
  }

  long totalCommands() {
    return commands.get();
  }

  /** The port the router listens on (0 until it does). */
  int port() {
    return port;
  }

  void port(int port) {
    this.port = port;
  }

  /** {@code ip:port}, as CLIENT LIST shows it. */
  private static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
