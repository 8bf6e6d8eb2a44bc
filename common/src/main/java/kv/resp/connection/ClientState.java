package kv.resp.connection;

import java.util.Locale;
import kv.resp.Protocol;

/**
 * One client connection as the connection commands see it: id, addresses, the name and library
 * set by the client, its protocol (RESP2 until {@code HELLO 3}), its reply mode
 * ({@code CLIENT REPLY}), and whether it must close after the current reply. Written on the
 * connection's own thread; other threads read it ({@code CLIENT LIST}) and may kill it.
 */
public final class ClientState {
  /*
   * Reply modes as Redis's CLIENT REPLY: OFF sends no reply (not even its own OK) until ON;
   * SKIP suppresses its own reply and the next command's. The I/O layer calls beginCommand()
   * before each command and writes the reply only if replyWanted() after it.
   */
  private final long id;
  private final String address;
  private final String localAddress;
  private final long connectedAtMillis;
  private volatile String name;
  private volatile String libName;
  private volatile String libVersion;
  private volatile Protocol protocol = Protocol.RESP2;
  private volatile String lastCommand = "NULL";
  private volatile long commands;
  private volatile long lastActiveMillis;
  private boolean replyOff;
  private boolean skipThis;
  private boolean skipNext;
  private boolean closeRequested;
  private volatile Runnable killer = () -> { };

  /**
   * @param address {@code ip:port} of the client
   * @param localAddress {@code ip:port} the client connected to
   */
  public ClientState(long id, String address, String localAddress, long connectedAtMillis) {
    this.id = id;
    this.address = address;
    this.localAddress = localAddress;
    this.connectedAtMillis = connectedAtMillis;
    this.lastActiveMillis = connectedAtMillis;
  }

  public long id() {
    return id;
  }

  public String address() {
    return address;
  }

  public String localAddress() {
    return localAddress;
  }

  /** The name set by CLIENT SETNAME or HELLO SETNAME, or null. */
  public String name() {
    return name;
  }

  void name(String name) {
    this.name = name == null || name.isEmpty() ? null : name;
  }

  void library(String attribute, String value) {
    if (attribute.equals("lib-name")) {
      libName = value;
    } else {
      libVersion = value;
    }
  }

  public Protocol protocol() {
    return protocol;
  }

  void protocol(Protocol protocol) {
    this.protocol = protocol;
  }

  /** Called by the I/O layer before each command. */
  public void beginCommand(String command) {
    skipThis = skipNext;
    skipNext = false;
    lastCommand = command;
    commands++;
  }

  /** Whether the reply of the command just executed is to be written. */
  public boolean replyWanted() {
    return !replyOff && !skipThis;
  }

  void replyMode(String mode) {
    switch (mode) {
      case "ON" -> {
        replyOff = false;
        skipThis = false;
        skipNext = false;
      }
      case "OFF" -> replyOff = true;
      default -> {
        skipThis = true;
        skipNext = !replyOff;
      }
    }
  }

  /** RESET: back to RESP2, no name, replies on. */
  void reset() {
    protocol = Protocol.RESP2;
    name = null;
    replyMode("ON");
  }

  /** Asks the I/O layer to close the connection once the current reply is written (QUIT). */
  public void requestClose() {
    closeRequested = true;
  }

  public boolean closeRequested() {
    return closeRequested;
  }

  /** Records activity for CLIENT LIST's idle field; the I/O layer calls it once per read. */
  public void active(long nowMillis) {
    lastActiveMillis = nowMillis;
  }

  /** How the I/O layer closes this connection when another client runs CLIENT KILL. */
  public void onKill(Runnable killer) {
    this.killer = killer;
  }

  void kill() {
    killer.run();
  }

  /** A {@code CLIENT LIST} line, as Redis prints it (the fields that mean something here). */
  public String describe(long nowMillis) {
    return "id=" + id + " addr=" + address + " laddr=" + localAddress + " name=" + orEmpty(name)
        + " age=" + (nowMillis - connectedAtMillis) / 1000 + " idle=" + Math.max(0, nowMillis - lastActiveMillis) / 1000
        + " flags=N db=0 cmds=" + commands + " cmd=" + lastCommand.toLowerCase(Locale.ROOT)
        + " user=default lib-name=" + orEmpty(libName) + " lib-ver=" + orEmpty(libVersion)
        + " resp=" + protocol.version();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
