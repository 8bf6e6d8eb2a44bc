package kv.broker.cli;

import static kv.broker.testing.Jq.at;
import static kv.broker.testing.Jq.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kv.broker.testing.Jq;
import kv.cluster.Placement;
import kv.cluster.ServerAddress;
import kv.cluster.ServerFile;
import kv.server.KvServer;
import kv.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kvBroker --json}: one JSON line per result, read back as jq would, against three real kvServers. */
class JsonOutputTest {
  @TempDir
  Path dir;
  private final List<KvServer> servers = new ArrayList<>();
  private Path serverFile;

  @BeforeEach
  void startServers() throws Exception {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      KvServer server = KvServer.start(ServerConfig.defaults().withThreads(1));
      servers.add(server);
      file.append("127.0.0.1 ").append(server.port()).append('\n');
    }
    serverFile = Files.writeString(dir.resolve("serverFile.txt"), file);
  }

  @AfterEach
  void stopServers() {
    servers.forEach(KvServer::close);
  }

  private CapturedRun broker(String stdin, String... extra) {
    List<String> args = new ArrayList<>(List.of("-s", serverFile.toString(), "-k", "2", "--timeout", "3s", "--json"));
    args.addAll(List.of(extra));
    return CapturedRun.run(KvBrokerCommand.EVENTUAL, stdin, args.toArray(new String[0]));
  }

  @Test
  void eachResultIsOneJsonLine() {
    CapturedRun run = broker(String.join("\n",
        "PUT \"person1\" : { \"name\" : \"John\" ; \"age\" : 22 ; \"tags\" : [ \"a\" ; \"b\" ] ; \"h\" : 1.75 }",
        "PUT \"a b\" : { \"x\" : { \"y\" : null } }",
        "GET person1",
        "QUERY person1.age",
        "GET nobody",
        "QUERY person1.phone",
        "GET \"a b\"",
        "EXISTS person1 nobody",
        "KEYS person*",
        "DBSIZE",
        "LOCATE person1",
        "DELETE \"a b\"",
        "DELETE nobody",
        "FOO x",
        "",
        "# a comment",
        "status",
        "help", ""));
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(16);
    lines.forEach(Jq::parse); // every line is one strict JSON value
    assertThat(text(lines.get(0), ".ok")).isEqualTo("true");
    assertThat(text(lines.get(0), ".key")).isEqualTo("person1");
    assertThat(text(lines.get(0), ".acknowledged")).isEqualTo("2");
    assertThat(text(lines.get(0), ".replicas")).isEqualTo("2");
    assertThat(text(lines.get(2), ".found")).isEqualTo("true");
    assertThat(text(lines.get(2), ".value.name")).isEqualTo("John");
    assertThat(text(lines.get(2), ".value.age")).isEqualTo("22");
    assertThat(text(lines.get(2), ".value.tags[1]")).isEqualTo("b");
    assertThat(at(lines.get(2), ".value.h").getAsDouble()).isEqualTo(1.75);
    assertThat(text(lines.get(3), ".value")).isEqualTo("22");
    assertThat(text(lines.get(3), ".path")).isEqualTo("person1.age");
    assertThat(lines.get(4)).isEqualTo("{\"ok\":true,\"found\":false,\"key\":\"nobody\",\"value\":null}");
    assertThat(text(lines.get(5), ".found")).isEqualTo("false");
    assertThat(text(lines.get(5), ".path")).isEqualTo("person1.phone");
    assertThat(text(lines.get(6), ".key")).isEqualTo("a b");
    assertThat(at(lines.get(6), ".value.x.y").isJsonNull()).isTrue();
    assertThat(text(lines.get(7), ".value")).isEqualTo("1");
    assertThat(text(lines.get(8), ".value")).isEqualTo("[\"person1\"]");
    assertThat(text(lines.get(9), ".value")).isEqualTo("2");
    assertThat(text(lines.get(10), ".value.key")).isEqualTo("person1");
    assertThat(at(lines.get(10), ".value.servers").getAsJsonArray()).hasSize(2);
    assertThat(text(lines.get(10), ".value.servers[0].state")).isEqualTo("UP");
    assertThat(text(lines.get(10), ".value.servers[0].holds")).isEqualTo("value");
    assertThat(Long.parseLong(text(lines.get(10), ".value.servers[0].version"))).isPositive();
    assertThat(text(lines.get(10), ".value.servers[0].written")).endsWith("Z");
    assertThat(text(lines.get(11), ".deleted")).isEqualTo("true");
    assertThat(text(lines.get(12), ".deleted")).isEqualTo("false");
    assertThat(lines.get(13)).isEqualTo(
        "{\"ok\":false,\"error\":{\"kind\":\"ERR\",\"message\":\"unknown command 'FOO' (try: help)\"}}");
    assertThat(text(lines.get(14), ".value.servers_up")).isEqualTo("3");
    assertThat(text(lines.get(14), ".value.servers[0].state")).isEqualTo("UP");
    assertThat(text(lines.get(14), ".value.sections.Catch-up.read_repairs")).isEqualTo("0");
    assertThat(text(lines.get(15), ".value")).startsWith("Commands (case-insensitive");
    assertThat(run.code()).as("FOO failed").isEqualTo(1);
  }

  @Test
  void failuresCarryTheKindTheRouterWouldAnswer() throws Exception {
    List<ServerAddress> addresses = ServerFile.read(serverFile);
    Placement placement = new Placement(addresses, 2);
    ServerAddress survivor = addresses.get(2);
    String lost = null;
    for (int i = 0; lost == null; i++) {
      if (!placement.replicas("lost" + i).contains(survivor)) {
        lost = "lost" + i;
      }
    }
    String shared = null; // a key with one replica on the survivor
    for (int i = 0; shared == null; i++) {
      if (placement.replicas("shared" + i).contains(survivor)) {
        shared = "shared" + i;
      }
    }
    servers.get(0).close();
    servers.get(1).close();
    CapturedRun run = broker("GET " + lost + "\nDELETE " + shared + "\n");
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(text(lines.get(0), ".ok")).isEqualTo("false");
    assertThat(text(lines.get(0), ".error.kind")).isEqualTo("CLUSTERDOWN");
    assertThat(text(lines.get(0), ".error.message")).startsWith("2 or more servers are down (")
        .endsWith("): cannot guarantee a correct answer for '" + lost + "'");
    assertThat(at(lines.get(0), ".error.servers").getAsJsonArray()).hasSize(2);
    assertThat(text(lines.get(1), ".error.kind")).isEqualTo("TRYAGAIN");
    assertThat(text(lines.get(1), ".error.message")).startsWith("cannot delete '" + shared + "' reliably");
    assertThat(run.code()).isEqualTo(1);
  }

  @Test
  void oneCommandWithJson() {
    CapturedRun run = broker("", "-c", "LOCATE person1");
    assertThat(run.out().lines().toList()).hasSize(1);
    assertThat(text(run.out(), ".value.servers[1].holds")).isEqualTo("nothing");
    assertThat(text(run.out(), ".value.placement")).isEqualTo("rendezvous hashing, k = 2");
    assertThat(run.code()).isZero();
  }
}
