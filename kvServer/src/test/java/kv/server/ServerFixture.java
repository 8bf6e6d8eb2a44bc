package kv.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** Helpers shared by the tests that talk to a real server: Jedis replies as text, polling. */
final class ServerFixture {
  private ServerFixture() {}

  static Jedis client(KvServer server) {
    return new Jedis("127.0.0.1", server.port(), 10_000);
  }

  /** Sends a command and returns its reply with bulk strings as Java strings (null for $-1). */
  static Object send(Jedis jedis, Cmd cmd, String... args) {
    return text(jedis.sendCommand(cmd, args));
  }

  /** The message of the error reply a command gets (fails the test if it gets none). */
  static String error(Jedis jedis, Cmd cmd, String... args) {
    try {
      Object reply = jedis.sendCommand(cmd, args);
      throw new AssertionError("expected an error reply, got " + text(reply));
    } catch (JedisDataException e) {
      return e.getMessage();
    }
  }

  static Object text(Object reply) {
    if (reply instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (reply instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object o : list) {
        out.add(text(o));
      }
      return out;
    }
    return reply;
  }

  /** Waits until {@code condition} holds, polling every 10 ms, for at most {@code timeout}. */
  static void await(Duration timeout, String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
  }
}
