package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kv.e2e.Launchers.Result;
import kv.e2e.Launchers.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three kvServers and a broker driven by a piped script, all through bin/, as SPEC.md §6 shows. */
class TranscriptIT {
  @TempDir Path dir;
  private final List<Server> servers = new ArrayList<>();

  @AfterEach
  void stopServers() throws InterruptedException {
    for (Server s : servers) {
      s.close();
    }
  }

  @Test
  void theSpecTranscriptOverAPipedScript() throws Exception {
    servers.addAll(Launchers.startServers(dir, 3));
    Path serverFile = Launchers.serverFile(dir, servers);
    Path data = Files.copy(Launchers.ROOT.resolve("data/sample.txt"), dir.resolve("sample.txt"));

    String script = String.join("\n",
        "GET person1",
        "QUERY person2.address.number",
        "QUERY person2.name",
        "GET name",
        "QUERY person2.phone",
        "PUT \"person9\" : { \"name\" : \"Anna\" }",
        "DELETE person1",
        "GET person1",
        "FOO x",
        "get \"person9\"",
        "GET person4",
        "") ;
    Result r = Launchers.run(
        Launchers.bin("kvBroker", "-s", serverFile.toString(), "-i", data.toString(), "-k", "2"),
        script, Duration.ofSeconds(60));

    assertThat(r.lines()).as("stdout; stderr was:%n%s", r.stderr()).containsExactly(
        "person1 : { \"name\" : \"John\" ; \"age\" : 22 }",
        "person2.address.number : 12",
        "person2.name : \"Mary\"",
        "NOT FOUND",
        "NOT FOUND",
        "OK",
        "OK",
        "NOT FOUND",
        "ERROR: unknown command 'FOO' (try: help)",
        "person9 : { \"name\" : \"Anna\" }",
        "person4 : {}");
    assertThat(r.exitCode()).as("a failed command makes the exit code non-zero").isNotZero();
  }
}
