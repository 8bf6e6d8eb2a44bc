package kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * redis-py (Debian's python3-redis 4.x, RESP2) against a real kvServer: its {@code r.json()}
 * helpers unchanged, and APPEND and GET through its generic command call. Skipped where no
 * python3 can import redis.
 */
class PythonRedisClientTest {
  private static final String SCRIPT = """
      import sys, redis
      r = redis.Redis(port=int(sys.argv[1]), decode_responses=True)
      j = r.json()
      assert j.set('py', '$', {'name': 'John', 'pets': ['cat', 'dog']}) is True
      assert j.arrappend('py', '$.pets', 'mouse') == [3], j.arrappend
      assert j.get('py') == {'name': 'John', 'pets': ['cat', 'dog', 'mouse']}, j.get('py')
      assert j.get('py', '$.pets') == [['cat', 'dog', 'mouse']], j.get('py', '$.pets')
      assert j.get('py', '.name') == 'John'
      assert j.type('py', '$.pets') == ['array'], j.type('py', '$.pets')
      assert j.set('py', '$.age', 22) is True
      assert j.set('py', '$.age', 23, nx=True) is None
      assert j.delete('py', '$.name') == 1
      assert j.mget(['py', 'nothing'], '$.age') == [[22], None], j.mget(['py', 'nothing'], '$.age')
      assert r.execute_command('GET', 'py') == '{ "pets" : [ "cat" ; "dog" ; "mouse" ] ; "age" : 22 }', r.execute_command('GET', 'py')
      assert j.set('s', '$', 'hello') is True
      assert j.get('s') == 'hello'
      assert r.execute_command('APPEND', 'list', '"a"') == 1
      assert r.execute_command('APPEND', 'list', 'b') == 2
      assert j.get('list') == ['a', 'b']
      assert r.type('py') == 'ReJSON-RL'
      print('ok')
      """;

  private static String python() {
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      try {
        Process p = new ProcessBuilder(candidate, "-c", "import redis").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException | InterruptedException e) {
        // try the next one
      }
    }
    return null;
  }

  @Test
  void redisPyJsonHelpersWork() throws Exception {
    String python = python();
    assumeThat(python).as("a python3 with redis-py (apt-get install python3-redis)").isNotNull();
    try (KvServer server = KvServer.start(ServerConfig.defaults())) {
      Process p = new ProcessBuilder(python, "-c", SCRIPT, Integer.toString(server.port()))
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(out).isEqualTo("ok");
      assertThat(p.exitValue()).isZero();
    }
  }
}
