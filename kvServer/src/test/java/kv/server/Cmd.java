package kv.server;

import java.nio.charset.StandardCharsets;
import redis.clients.jedis.commands.ProtocolCommand;

/** Command words for {@code Jedis.sendCommand}, including kvServer's own (PUT, QUERY, V*); JSON_SET is JSON.SET. */
enum Cmd implements ProtocolCommand {
  PING, ECHO, QUIT, GET, QUERY, PUT, DELETE, DEL, EXISTS, DBSIZE, KEYS, SCAN, INFO, COMMAND, CONFIG,
  HELLO, CLIENT, SELECT, RESET, AUTH, TYPE, SET, VPUT, VGET, VDEL, VQUERY, VPURGE, FOO,
  APPEND, SETVALUE, VAPPEND, VENTRIES, VKEYS, VVERSIONS, VSCAN, VHINT, VHINTS, VHINTDEL, VHINTED, VCAUGHTUP,
  JSON_SET, JSON_GET, JSON_DEL, JSON_FORGET, JSON_ARRAPPEND, JSON_TYPE, JSON_MGET;

  @Override
  public byte[] getRaw() {
    return name().replaceFirst("^JSON_", "JSON.").getBytes(StandardCharsets.US_ASCII);
  }
}
