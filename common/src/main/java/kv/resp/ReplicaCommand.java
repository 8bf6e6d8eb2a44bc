package kv.resp;

/**
 * The commands a broker sends to a kvServer, named once for both sides: the heartbeat's PING and
 * INFO, the versioned reads and writes (VGET, VQUERY, VPUT, VDEL, VAPPEND), the anti-entropy walks (VKEYS,
 * VVERSIONS, VENTRIES), the tombstone purge (VPURGE), the key walk of KEYS, SCAN and DBSIZE (VSCAN) and
 * the durable hints (VHINT, VHINTS, VHINTDEL, VHINTED) and caught-up mark (VCAUGHTUP), each with its usage. The README's protocol section describes their replies.
 */
public enum ReplicaCommand {
  PING("PING [message]"),
  INFO("INFO [section]"),
  VGET("VGET key"),
  VQUERY("VQUERY key.path"),
  VPUT("VPUT key version value [PACKED] [WITHVERSION] [HINT server ...]"),
  VDEL("VDEL key version [WITHVERSION] [HINT server ...]"),
  VAPPEND("VAPPEND key version path value (path: . or .a.b)"),
  VENTRIES("VENTRIES key"),
  VKEYS("VKEYS cursor [COUNT n]"),
  VVERSIONS("VVERSIONS key [key ...]"),
  VPURGE("VPURGE key version"),
  VSCAN("VSCAN cursor [MATCH prefix*] [COUNT n]"),
  VHINT("VHINT key version server [server ...]"),
  VHINTS("VHINTS server cursor [COUNT n]"),
  VHINTDEL("VHINTDEL server key version"),
  VHINTED("VHINTED key"),
  VCAUGHTUP("VCAUGHTUP instance-id [RESYNCED]");

  private final String usage;

  ReplicaCommand(String usage) {
    this.usage = usage;
  }

  /** How the command is written, e.g. {@code VPUT key version value}, for error messages. */
  public String usage() {
    return usage;
  }
}
