package kv.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import kv.broker.command.CommandParser;
import kv.broker.testing.FakeEngine;
import kv.record.IntValue;
import kv.record.Record;
import kv.record.RecordParser;
import kv.record.SetValue;
import kv.record.StringValue;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive prompt on a dumb JLine terminal, and its handling of Ctrl-C and Ctrl-D fed with keystrokes. */
class PromptTest {
  @TempDir
  Path dir;

  private static Shell shell() {
    FakeEngine service = new FakeEngine();
    service.records.put("person1", new Record("person1",
        SetValue.builder().put("name", new StringValue("John")).put("age", new IntValue(22)).build()));
    return new Shell(service, new CommandParser(new RecordParser()), Duration.ofSeconds(5), Clock.systemUTC());
  }

  private String type(String keys, Path history) throws Exception {
    Shell shell = shell();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Terminal terminal = new DumbTerminal("test", "dumb",
        new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)), out, StandardCharsets.UTF_8)) {
      Prompt prompt = new Prompt(terminal, shell, history);
      LineReader reader = prompt.reader();
      prompt.run(reader);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void answersCommandsAndLeavesOnExit() throws Exception {
    Path history = dir.resolve("history");
    String screen = type("GET person1\nget nobody\nFOO x\nexit\nGET person1\n", history);
    assertThat(screen).contains("kv> ", "person1 : { \"name\" : \"John\" ; \"age\" : 22 }\n", "NOT FOUND\n",
        "ERROR: unknown command 'FOO' (try: help)\n");
    assertThat(screen.indexOf("person1 : {")).isEqualTo(screen.lastIndexOf("person1 : {"));
    assertThat(Files.readString(history)).contains("GET person1", "get nobody", "FOO x", "exit");
  }

  /*
   * A real terminal turns Ctrl-C into UserInterruptException and Ctrl-D on an empty line into
   * EndOfFileException inside readLine; keystroke timing on a test terminal is unreliable, so the
   * reader here is a scripted stand-in that throws exactly those.
   */
  @Test
  void ctrlCAbandonsTheLineAndCtrlDLeaves() throws Exception {
    Deque<Object> script = new ArrayDeque<>(List.of(
        new UserInterruptException("GET nob"), "GET person1", new EndOfFileException(), "GET person1"));
    assertThat(runScripted(script)).isEqualTo("person1 : { \"name\" : \"John\" ; \"age\" : 22 }\n");
    assertThat(script).containsExactly("GET person1"); // nothing read after Ctrl-D
  }

  @Test
  void ctrlCTwiceOnAnEmptyLineLeaves() throws Exception {
    Deque<Object> script = new ArrayDeque<>(List.of(
        new UserInterruptException(""), "GET person1", new UserInterruptException(""),
        new UserInterruptException(""), "GET person1"));
    assertThat(runScripted(script)).isEqualTo(
        "(to leave, press Ctrl-C again or Ctrl-D, or type exit)\n"
            + "person1 : { \"name\" : \"John\" ; \"age\" : 22 }\n"
            + "(to leave, press Ctrl-C again or Ctrl-D, or type exit)\n");
    assertThat(script).containsExactly("GET person1"); // nothing read after the second Ctrl-C
  }

  /** Runs the prompt over a scripted reader that returns lines or throws what a terminal would. */
  private String runScripted(Deque<Object> script) throws Exception {
    History history = (History) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {History.class},
        (proxy, method, args) -> null);
    LineReader reader = (LineReader) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {LineReader.class}, (proxy, method, args) -> {
          if (method.getName().equals("readLine")) {
            Object next = script.poll();
            if (next instanceof RuntimeException e) {
              throw e;
            }
            return next;
          }
          if (method.getName().equals("getHistory")) {
            return history;
          }
          throw new UnsupportedOperationException(method.getName());
        });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Terminal terminal = new DumbTerminal("test", "dumb", new ByteArrayInputStream(new byte[0]), out,
        StandardCharsets.UTF_8)) {
      new Prompt(terminal, shell(), null).run(reader);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
