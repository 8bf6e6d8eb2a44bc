package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import kv.e2e.Launchers.Result;
import org.junit.jupiter.api.Test;

/** bin/quickstart with piped input, as the README's first command: answers, then leaves nothing running. */
class QuickstartIT {

  @Test
  void answersFromPipedInputAndLeavesNoProcessBehind() throws Exception {
    Result r = Launchers.run(Launchers.bin("quickstart"), "GET person1\nexit\n", Duration.ofMinutes(3));

    assertThat(r.exitCode()).as("stderr:%n%s", r.stderr()).isZero();
    assertThat(r.lines()).as("stderr:%n%s", r.stderr()).hasSize(1);
    assertThat(r.lines().get(0)).startsWith("person1 : {");
    // programs of this checkout still running (other checkouts on the machine are not ours)
    String server = Launchers.ROOT.resolve("kvServer/target/kvServer.jar").toString();
    String broker = Launchers.ROOT.resolve("kvBroker/target/kvBroker.jar").toString();
    List<String> left = ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains(server) || c.contains(broker))
        .toList();
    assertThat(left).as("processes left running").isEmpty();
  }
}
