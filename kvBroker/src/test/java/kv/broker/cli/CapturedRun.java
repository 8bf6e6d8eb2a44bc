package kv.broker.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** Runs {@link KvBrokerCommand} in-process with a script on standard input; captures the output. */
record CapturedRun(int code, String out, String err) {

  static CapturedRun run(Backend backend, String stdin, String... args) {
    return run(java.util.Map.of(), backend, stdin, args);
  }

  /** As above with the environment {@code env} (KV_PASSWORD, KV_ADMIN_PASSWORD). */
  static CapturedRun run(java.util.Map<String, String> env, Backend backend, String stdin,
      String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    KvBrokerCommand command = new KvBrokerCommand(
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), false, backend, Clock.systemUTC(), env);
    int code = command.execute(args);
    return new CapturedRun(code, out.toString(), err.toString());
  }
}
