package kv.server;

/**
 * One client connection as the commands see it: id, remote address, the name set with
 * {@code CLIENT SETNAME}, and whether the connection must close after the current reply
 * ({@code QUIT}). Written only on the connection's event-loop thread; other threads may read the
 * name and the counters ({@code CLIENT LIST}).
 */
final class Session {
  private final long id;
  private final String remote;
  private final long connectedAtMillis;
  private volatile String name;
  private volatile String lastCommand = "NULL";
  private volatile long commands;
  private boolean closeRequested;

  Session(long id, String remote, long connectedAtMillis) {
    this.id = id;
    this.remote = remote;
    this.connectedAtMillis = connectedAtMillis;
  }

  long id() {
    return id;
  }

  /** {@code ip:port} of the client. */
  String remote() {
    return remote;
  }

  String name() {
    return name;
  }

  void name(String name) {
    this.name = name;
  }

  void executed(String command) {
    lastCommand = command;
    commands++;
  }

  void requestClose() {
    closeRequested = true;
  }

  boolean closeRequested() {
    return closeRequested;
  }

  /** A {@code CLIENT LIST} line, as Redis prints it (the fields that mean something here). */
  String describe(long nowMillis) {
    return "id=" + id + " addr=" + remote + " name=" + (name == null ? "" : name)
        + " age=" + (nowMillis - connectedAtMillis) / 1000 + " db=0 cmds=" + commands
        + " cmd=" + lastCommand.toLowerCase(java.util.Locale.ROOT);
  }
}
