package kv.server;

import java.nio.charset.StandardCharsets;
import redis.clients.jedis.commands.ProtocolCommand;

/** Command words for {@code Jedis.sendCommand}, including kvServer's own (PUT, QUERY, V*). */
enum Cmd implements ProtocolCommand {
  PING, ECHO, QUIT, GET, QUERY, PUT, DELETE, DEL, EXISTS, DBSIZE, KEYS, SCAN, INFO, COMMAND, CONFIG,
  HELLO, CLIENT, SELECT, RESET, AUTH, TYPE, SET, VPUT, VGET, VDEL, VQUERY, VPURGE, VKEYS, VSCAN, VVERSIONS, FOO;

  @Override
  public byte[] getRaw() {
    return name().getBytes(StandardCharsets.US_ASCII);
  }
}
