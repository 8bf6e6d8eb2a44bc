package kv.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.Engine;
import kv.broker.index.IndexProgress;
import kv.broker.index.IndexSummary;
import kv.broker.testing.FakeEngine;
import kv.broker.transport.IoThreads;
import kv.record.IntValue;
import kv.record.Record;
import kv.record.SetValue;
import kv.record.StringValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against the in-memory test double: modes, output, exit codes, usage errors. */
class KvBrokerCommandTest {
  @TempDir
  Path dir;
  private Path serverFile;
  private final FakeEngine service = new FakeEngine();
  private final Backend backend = new Backend() {
    @Override
    public Engine start(BrokerConfig config, IoThreads io) {
      return service;
    }

    @Override
    public IndexSummary index(Engine s, Path file, int maxInFlight, IndexProgress progress) {
      return new IndexSummary(3, List.of(new IndexSummary.Failure(2, "invalid record: oops")), 1, 0.5, 6);
    }
  };

  @BeforeEach
  void setUp() throws Exception {
    serverFile = dir.resolve("serverFile.txt");
    Files.writeString(serverFile, "# three servers\n127.0.0.1 9000\n127.0.0.1:9001\n\n127.0.0.1 9002\n");
    service.records.put("person1", new Record("person1",
        SetValue.builder().put("name", new StringValue("John")).put("age", new IntValue(22)).build()));
  }

  private CapturedRun run(String stdin, String... args) {
    return CapturedRun.run(backend, stdin, args);
  }

  @Test
  void scriptModePrintsOnlyResults() {
    CapturedRun run = run("GET person1\n\nget \"person1\"\n# comment\nGET name\nPUT \"person9\" : { \"name\" : \"Anna\" }\n"
        + "GET person9\nDELETE person1\nGET person1\n",
        "-s", serverFile.toString(), "-k", "2");
    assertThat(run.out()).isEqualTo(String.join("\n",
        "person1 : { \"name\" : \"John\" ; \"age\" : 22 }",
        "person1 : { \"name\" : \"John\" ; \"age\" : 22 }",
        "NOT FOUND",
        "OK",
        "person9 : { \"name\" : \"Anna\" }",
        "OK",
        "NOT FOUND", ""));
    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
    assertThat(service.closed).isTrue();
  }

  @Test
  void aFailedCommandMakesTheExitCodeNonZeroButTheScriptGoesOn() {
    service.downKeys.add("person7");
    CapturedRun run = run("FOO x\nGET person7\nGET person1\n", "-s", serverFile.toString(), "-k", "2");
    assertThat(run.out()).isEqualTo(String.join("\n",
        "ERROR: unknown command 'FOO' (try: help)",
        "WARNING: 2 or more servers are down (127.0.0.1:9001, 127.0.0.1:9002): cannot guarantee a correct answer for 'person7'",
        "person1 : { \"name\" : \"John\" ; \"age\" : 22 }", ""));
    assertThat(run.code()).isEqualTo(1);
  }

  @Test
  void exitStopsTheScript() {
    CapturedRun run = run("GET person1\nexit\nFOO\n", "-s", serverFile.toString(), "-k", "2");
    assertThat(run.out()).isEqualTo("person1 : { \"name\" : \"John\" ; \"age\" : 22 }\n");
    assertThat(run.code()).isZero();
  }

  @Test
  void oneCommandWithDashC() {
    CapturedRun found = run("", "-s", serverFile.toString(), "-k", "2", "-c", "GET person1");
    assertThat(found.out()).isEqualTo("person1 : { \"name\" : \"John\" ; \"age\" : 22 }\n");
    assertThat(found.code()).isZero();
    CapturedRun notFound = run("", "-s", serverFile.toString(), "-k", "2", "-c", "GET nobody");
    assertThat(notFound.out()).isEqualTo("NOT FOUND\n");
    assertThat(notFound.code()).isZero();
    service.downKeys.add("person1");
    CapturedRun refused = run("", "-s", serverFile.toString(), "-k", "2", "-c", "delete person1");
    assertThat(refused.out()).isEqualTo(
        "ERROR: cannot delete 'person1' reliably: replica server 127.0.0.1:9001 is down; nothing was deleted\n");
    assertThat(refused.code()).isEqualTo(1);
  }

  @Test
  void aFlagGivenTwiceTakesTheLastValue() {
    // bin/quickstart passes its own -k 2 -i ... first and the user's flags after them
    CapturedRun run = run("", "-s", serverFile.toString(), "-k", "9", "-k", "2", "-c", "GET person1");
    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
  }

  @Test
  void helpAndStatusInAScript() {
    CapturedRun run = run("help\nstatus\n", "-s", serverFile.toString(), "-k", "2");
    assertThat(run.out()).contains("GET key", "QUERY key.path", "PUT key : { ... }", "DELETE key", "STATUS", "EXIT")
        .contains("ADDRESS", "127.0.0.1:9000  UP", "2 servers: 2 up, 0 down");
    assertThat(run.code()).isZero();
  }

  @Test
  void indexingPrintsASummaryOnStandardError() throws Exception {
    Path data = Files.writeString(dir.resolve("data.txt"), "person1 : {}\n");
    CapturedRun run = run("GET person1\n", "-s", serverFile.toString(), "-k", "2", "-i", data.toString());
    assertThat(run.err()).isEqualTo("indexed 3 records from " + data + " in 0.50 s (6 records/s); 1 line not indexed:\n"
        + "  line 2: invalid record: oops\n");
    assertThat(run.out()).isEqualTo("person1 : { \"name\" : \"John\" ; \"age\" : 22 }\n");
  }

  @Test
  void usageErrorsExitWithTwoAndNameTheProblem() throws Exception {
    CapturedRun k = run("", "-s", serverFile.toString(), "-k", "4");
    assertThat(k.code()).isEqualTo(2);
    assertThat(k.err()).contains("-k: 4 (expected: 1..3, the number of servers in " + serverFile + ")");
    assertThat(run("", "-s", serverFile.toString(), "-k", "0").code()).isEqualTo(2);

    CapturedRun missing = run("", "-k", "2");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--servers=FILE'");

    CapturedRun noFile = run("", "-s", dir.resolve("nope.txt").toString(), "-k", "1");
    assertThat(noFile.code()).isEqualTo(2);
    assertThat(noFile.err()).contains("nope.txt: no such file");

    CapturedRun badDuration = run("", "-s", serverFile.toString(), "-k", "2", "--timeout", "soon");
    assertThat(badDuration.code()).isEqualTo(2);
    assertThat(badDuration.err()).contains("'soon' (expected: a positive duration such as 500ms, 2s or 1m)");

    CapturedRun badGrace = run("", "-s", serverFile.toString(), "-k", "2", "--tombstone-grace", "never");
    assertThat(badGrace.code()).isEqualTo(2);
    assertThat(badGrace.err()).contains("--tombstone-grace: 'never' (expected: off or a positive duration such as 30s or 10m)");

    CapturedRun both = run("", "-s", serverFile.toString(), "-k", "2", "-c", "GET a", "--port", "0");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("-c and --port cannot be combined");
    CapturedRun http = run("", "-s", serverFile.toString(), "-k", "2", "-c", "GET a", "--http", "0");
    assertThat(http.code()).isEqualTo(2);
    assertThat(http.err()).contains("-c and --http cannot be combined");

    CapturedRun noData = run("", "-s", serverFile.toString(), "-k", "2", "-i", dir.resolve("none.txt").toString());
    assertThat(noData.code()).isEqualTo(2);
    assertThat(noData.err()).contains("none.txt: no such readable file");
  }

  @Test
  void helpDocumentsEveryOption() {
    CapturedRun help = run("", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("-s, --servers=FILE", "-i, --index=FILE", "-k=K", "-p, --port=PORT", "-c, --command",
        "--timeout", "--heartbeat", "--tombstone-grace=off|DURATION", "--history", "--debug", "Exit codes");
  }

  @Test
  void aBackendThatCannotStartIsARuntimeFailure() {
    Backend broken = new Backend() {
      @Override
      public Engine start(BrokerConfig config, IoThreads io) {
        throw new IllegalStateException("no network");
      }

      @Override
      public IndexSummary index(Engine s, Path file, int maxInFlight, IndexProgress progress) {
        throw new AssertionError();
      }
    };
    CapturedRun run = CapturedRun.run(broken, "", "-s", serverFile.toString(), "-k", "2");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("kvBroker: no network\n");
  }
}
