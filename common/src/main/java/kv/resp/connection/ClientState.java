package kv.resp.connection;

import java.util.Locale;
import kv.resp.Protocol;
import kv.security.Role;
import kv.security.Users;

/**
 * One client connection as the connection commands see it: id, addresses, the user it is
 * authenticated as and its role (none before AUTH when the server has a password), the name and
 * library set by the client, its protocol (RESP2 until {@code HELLO 3}), its reply mode
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
  private final Users users;
  private volatile String user;
  private volatile Role role;
  private long authFailures;
  private String lastFailedUser;
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
  private volatile boolean inMulti;
  private volatile Runnable killer = () -> { };
  /** Set by the first CLIENT KILL of this client (any thread), read by the next ones. */
  private volatile boolean killed;

  /**
   * @param address {@code ip:port} of the client
   * @param localAddress {@code ip:port} the client connected to
   */
  public ClientState(long id, String address, String localAddress, long connectedAtMillis) {
    this(id, address, localAddress, connectedAtMillis, Users.OPEN);
  }

  /**
   * A connection to a port whose users are {@code users}: authenticated as {@code default} from
   * the start when that user has no password, else not authenticated until AUTH.
   */
  public ClientState(long id, String address, String localAddress, long connectedAtMillis, Users users) {
    this.id = id;
    this.address = address;
    this.localAddress = localAddress;
    this.connectedAtMillis = connectedAtMillis;
    this.lastActiveMillis = connectedAtMillis;
    this.users = users;
    logout();
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

  /** The users this connection may authenticate as. */
  public Users users() {
    return users;
  }

  /** The user this connection is authenticated as, or null before AUTH. */
  public String user() {
    return user;
  }

  /** What this connection may run, or null before AUTH. */
  public Role role() {
    return role;
  }

  public boolean authenticated() {
    return role != null;
  }

  void login(String user, Role role) {
    this.user = user;
    this.role = role;
  }

  /** Back to the state of a new connection (RESET): {@code default} without a password, else none. */
  void logout() {
    Role open = users.withoutPassword();
    this.user = open == null ? null : Users.DEFAULT;
    this.role = open;
  }

  /** Failed AUTH attempts on this connection, for the I/O layer's throttle and log. */
  public long authFailures() {
    return authFailures;
  }

  /** The user named by the last failed AUTH, or null. */
  public String lastFailedUser() {
    return lastFailedUser;
  }

  void authFailed(String user) {
    authFailures++;
    lastFailedUser = user;
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

  /** Whether the connection is between MULTI and EXEC or DISCARD ({@link TransactionRefusal}). */
  boolean inMulti() {
    return inMulti;
  }

  void inMulti(boolean inMulti) {
    this.inMulti = inMulti;
  }

  /** RESET: back to RESP2, no name, replies on, out of MULTI, and authenticated only as a new connection is. */
  void reset() {
    inMulti = false;
    protocol = Protocol.RESP2;
    name = null;
    replyMode("ON");
    logout();
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

  /**
   * Closes the connection for CLIENT KILL, once. From then on the client counts as gone, as in
   * Redis: a second CLIENT KILL of it finds nothing, although the I/O layer may list it until
   * its channel has closed.
   */
  void kill() {
    if (!killed) {
      killed = true;
      killer.run();
    }
  }

  /** Whether CLIENT KILL has closed it. */
  boolean killed() {
    return killed;
  }

  /**
   * A {@code CLIENT LIST} line, as Redis 7.2 prints it: every field Redis has, since client
   * libraries parse some as numbers (redis-py 4's {@code client_info()} fails without {@code sub},
   * {@code oll}, ...); the buffer and memory figures KV does not measure per client are 0, and
   * {@code fd} is -1.
   */
  public String describe(long nowMillis) {
    return "id=" + id + " addr=" + address + " laddr=" + localAddress + " fd=-1 name=" + orEmpty(name)
        + " age=" + (nowMillis - connectedAtMillis) / 1000 + " idle=" + Math.max(0, nowMillis - lastActiveMillis) / 1000
        + " flags=N db=0 sub=0 psub=0 ssub=0 multi=" + (inMulti ? 0 : -1) + " qbuf=0 qbuf-free=0 argv-mem=0"
        + " multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r"
        + " cmds=" + commands + " cmd=" + lastCommand.toLowerCase(Locale.ROOT)
        + " user=" + (user == null ? Users.DEFAULT : user) + " lib-name=" + orEmpty(libName) + " lib-ver=" + orEmpty(libVersion)
        + " resp=" + protocol.version();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
