package kv.resp;

/**
 * The commands a broker sends to a kvServer, named once for both sides: the heartbeat's PING and
 * INFO, the versioned reads and writes (VGET, VQUERY, VPUT, VDEL), the anti-entropy walks (VKEYS,
 * VVERSIONS), the tombstone purge (VPURGE) and the key walk of KEYS, SCAN and DBSIZE (VSCAN), each
 * with its usage. The README's protocol section describes their replies.
 */
public enum ReplicaCommand {
  PING("PING [message]"),
  INFO("INFO [section]"),
  VGET("VGET key"),
  VQUERY("VQUERY key.path"),
  VPUT("VPUT key version set-text"),
  VDEL("VDEL key version"),
  VKEYS("VKEYS cursor [COUNT n]"),
  VVERSIONS("VVERSIONS key [key ...]"),
  VPURGE("VPURGE key version"),
  VSCAN("VSCAN cursor [MATCH prefix*] [COUNT n]");

  private final String usage;

  ReplicaCommand(String usage) {
    this.usage = usage;
  }

  /** How the command is written, e.g. {@code VPUT key version set-text}, for error messages. */
  public String usage() {
    return usage;
  }
}
