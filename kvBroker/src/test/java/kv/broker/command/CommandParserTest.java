package kv.broker.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kv.record.IntValue;
import kv.record.Path;
import kv.record.Record;
import kv.record.RecordParser;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.resp.KeyPattern;
import kv.resp.Request;
import org.junit.jupiter.api.Test;

class CommandParserTest {
  private final CommandParser parser = new CommandParser(new RecordParser());

  private Command parse(String line) throws BadCommandException {
    Optional<Command> command = parser.parseLine(line);
    assertThat(command).as("command parsed from %s", line).isPresent();
    return command.get();
  }

  private String error(String line) {
    try {
      parser.parseLine(line);
    } catch (BadCommandException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected an error for: " + line);
  }

  @Test
  void commandWordsAreCaseInsensitiveAndKeysCaseSensitive() throws Exception {
    assertThat(parse("GET person1")).isEqualTo(new Command.Get("person1"));
    assertThat(parse("get person1")).isEqualTo(new Command.Get("person1"));
    assertThat(parse("  gEt   person1  ")).isEqualTo(new Command.Get("person1"));
    assertThat(parse("GET Person1")).isEqualTo(new Command.Get("Person1"));
    assertThat(parse("delete person1")).isEqualTo(new Command.Delete("person1"));
    assertThat(parse("DEL person1")).isEqualTo(new Command.Delete("person1"));
  }

  @Test
  void quotedKeysAreTheSameKeyAndUseJsonEscapes() throws Exception {
    assertThat(parse("GET \"person1\"")).isEqualTo(parse("GET person1"));
    assertThat(parse("GET \"two words\"")).isEqualTo(new Command.Get("two words"));
    assertThat(parse("GET \"a\\\"b\\\\c\\u0041\\n\"")).isEqualTo(new Command.Get("a\"b\\cA\n"));
    assertThat(parse("DELETE \"\"")).isEqualTo(new Command.Delete(""));
    assertThat(parse("GET \tperson1")).isEqualTo(new Command.Get("person1"));
  }

  @Test
  void argumentErrorsSayWhatAndTheUsage() {
    assertThat(error("GET")).isEqualTo("GET needs a key (usage: GET key)");
    assertThat(error("get   ")).isEqualTo("GET needs a key (usage: GET key)");
    assertThat(error("DELETE")).isEqualTo("DELETE needs a key (usage: DELETE key)");
    assertThat(error("QUERY")).isEqualTo("QUERY needs a path (usage: QUERY key.path)");
    assertThat(error("PUT")).isEqualTo("PUT needs a record (usage: PUT key : { ... })");
    assertThat(error("GET person1 person2"))
        .isEqualTo("GET takes one key; unexpected text after it: 'person2' (usage: GET key)");
    assertThat(error("GET \"person1\"x"))
        .isEqualTo("GET takes one key; unexpected text after it: 'x' (usage: GET key)");
    assertThat(error("GET \"person1")).isEqualTo("key: unterminated string \"person1 (expected: a closing '\"')");
    assertThat(error("GET \"a\\qb\"")).startsWith("key: invalid escape '\\q'");
    assertThat(error("GET \"a\\u12\"")).startsWith("key: invalid escape '\\u12'");
    assertThat(error("status now")).isEqualTo("STATUS takes no arguments (usage: STATUS)");
  }

  @Test
  void unknownCommandsAndMissingSpaces() {
    assertThat(error("FOO x")).isEqualTo("unknown command 'FOO' (try: help)");
    assertThat(error("foo")).isEqualTo("unknown command 'foo' (try: help)");
    assertThat(error("GETperson1")).isEqualTo("unknown command 'GETperson1' (try: help)");
    assertThat(error("GET\"person1\""))
        .isEqualTo("missing space after 'GET' (a command word is followed by a space)");
    assertThat(error("put{}")).isEqualTo("missing space after 'put' (a command word is followed by a space)");
  }

  @Test
  void locateTakesOneKeyAtThePromptAndOverResp() throws Exception {
    assertThat(parse("LOCATE person1")).isEqualTo(new Command.Locate("person1"));
    assertThat(parse("locate \"two words\"")).isEqualTo(new Command.Locate("two words"));
    assertThat(error("LOCATE")).isEqualTo("LOCATE needs a key (usage: LOCATE key)");
    assertThat(error("LOCATE a b")).isEqualTo("LOCATE takes one key; unexpected text after it: 'b' (usage: LOCATE key)");
    assertThat(error("LOCATEperson1")).isEqualTo("unknown command 'LOCATEperson1' (try: help)");
    assertThat(parser.parseRequest(array("LOCATE", "a b"))).isEqualTo(new Command.Locate("a b"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.parseRequest(array("LOCATE")))
        .hasMessage("wrong number of arguments for 'LOCATE' (expected: LOCATE key)");
  }

  @Test
  void blankLinesAndCommentsAreNothing() throws Exception {
    assertThat(parser.parseLine("")).isEmpty();
    assertThat(parser.parseLine("   \t ")).isEmpty();
    assertThat(parser.parseLine("# a comment")).isEmpty();
  }

  @Test
  void commandsWithoutArguments() throws Exception {
    assertThat(parse("help")).isEqualTo(new Command.Help());
    assertThat(parse("HELP")).isEqualTo(new Command.Help());
    assertThat(parse("Status")).isEqualTo(new Command.Status());
    assertThat(parse("exit")).isEqualTo(new Command.Exit());
    assertThat(parse("quit")).isEqualTo(new Command.Exit());
  }

  @Test
  void queryTakesAPath() throws Exception {
    assertThat(parse("QUERY person2.address.number"))
        .isEqualTo(new Command.Query(new Path("person2", List.of("address", "number"))));
    assertThat(parse("query \"person2\".name"))
        .isEqualTo(new Command.Query(new Path("person2", List.of("name"))));
  }

  @Test
  void putTakesTheRestOfTheLineAsARecord() throws Exception {
    Record anna = new Record("person9", SetValue.builder().put("name", new StringValue("Anna")).build());
    assertThat(parse("PUT \"person9\" : { \"name\" : \"Anna\" }")).isEqualTo(new Command.Put(anna));
    assertThat(parse("put person9:{name:\"Anna\"}")).isEqualTo(new Command.Put(anna));
    assertThat(parse("PUT person4 : {}")).isEqualTo(new Command.Put(new Record("person4", SetValue.empty())));
    Record nested = new Record("p", SetValue.builder()
        .put("a", SetValue.builder().put("n", new IntValue(12)).build()).build());
    assertThat(parse("PUT p : { \"a\" : { \"n\" : 12 } }")).isEqualTo(new Command.Put(nested));
  }

  @Test
  void invalidRecordsAreReportedWithTheParserMessage() {
    assertThat(error("PUT \"person5\" : \"hello\"")).startsWith("invalid record: ");
    assertThat(error("PUT \"person6\" : { \"address\" : { \"there\" } }")).startsWith("invalid record: ");
    assertThat(error("PUT p : { \"a\" : 1")).startsWith("invalid record: ");
  }

  @Test
  void keysExistsAndDbsize() throws Exception {
    assertThat(parse("KEYS person*")).isEqualTo(new Command.Keys(new KeyPattern("person", false)));
    assertThat(parse("keys *")).isEqualTo(new Command.Keys(KeyPattern.all()));
    assertThat(parse("Keys \"person1\"")).isEqualTo(new Command.Keys(new KeyPattern("person1", true)));
    assertThat(parse("KEYS \"two words*\"")).isEqualTo(new Command.Keys(new KeyPattern("two words", false)));
    assertThat(parse("EXISTS person1")).isEqualTo(new Command.Exists(List.of("person1")));
    assertThat(parse("exists  Person1 \"a b\"\tperson1 \"\""))
        .isEqualTo(new Command.Exists(List.of("Person1", "a b", "person1", "")));
    assertThat(parse("DBSIZE")).isEqualTo(new Command.DbSize());
    assertThat(parse("dbsize")).isEqualTo(new Command.DbSize());
  }

  @Test
  void keysExistsAndDbsizeErrors() {
    assertThat(error("KEYS"))
        .isEqualTo("KEYS needs a pattern (usage: KEYS prefix*, e.g. KEYS person*, KEYS * for every key)");
    assertThat(error("KEYS a* b*"))
        .isEqualTo("KEYS takes one pattern; unexpected text after it: 'b*'"
            + " (usage: KEYS prefix*, e.g. KEYS person*, KEYS * for every key)");
    assertThat(error("KEYS p?rson"))
        .startsWith("pattern: 'p?rson' is not supported (expected: a key prefix followed by *");
    assertThat(error("KEYS *a*")).startsWith("pattern: '*a*' is not supported");
    assertThat(error("EXISTS")).isEqualTo("EXISTS needs a key (usage: EXISTS key [key ...])");
    assertThat(error("EXISTS \"a\"b"))
        .isEqualTo("EXISTS: missing space after the key \"a\" (keys are separated by spaces)"
            + " (usage: EXISTS key [key ...])");
    assertThat(error("EXISTS a \"b")).isEqualTo("key: unterminated string \"b (expected: a closing '\"')");
    assertThat(error("DBSIZE x")).isEqualTo("DBSIZE takes no arguments (usage: DBSIZE)");
    assertThat(error("KEYS*")).isEqualTo("missing space after 'KEYS' (a command word is followed by a space)");
    assertThat(error("exists\"a\"")).isEqualTo("missing space after 'exists' (a command word is followed by a space)");
  }

  @Test
  void helpAndCompletionListTheKeyspaceCommands() {
    assertThat(CommandHelp.completionWords()).contains("keys", "exists", "dbsize");
    assertThat(CommandHelp.text()).contains("KEYS prefix*", "EXISTS key [key ...]", "DBSIZE");
  }

  private static Request array(String... args) {
    List<byte[]> bytes = new ArrayList<>();
    for (String a : args) {
      bytes.add(a.getBytes(StandardCharsets.UTF_8));
    }
    return new Request(bytes, null);
  }

  private static Request inline(String line, String... args) {
    List<byte[]> bytes = new ArrayList<>();
    for (String a : args) {
      bytes.add(a.getBytes(StandardCharsets.UTF_8));
    }
    return new Request(bytes, line);
  }

  @Test
  void respRequests() throws Exception {
    assertThat(parser.parseRequest(array("get", "person1"))).isEqualTo(new Command.Get("person1"));
    assertThat(parser.parseRequest(array("DEL", "a b"))).isEqualTo(new Command.Delete("a b"));
    assertThat(parser.parseRequest(array("QUERY", "person2.name")))
        .isEqualTo(new Command.Query(new Path("person2", List.of("name"))));
    Record anna = new Record("person9", SetValue.builder().put("name", new StringValue("Anna")).build());
    assertThat(parser.parseRequest(array("PUT", "person9 : { \"name\" : \"Anna\" }"))).isEqualTo(new Command.Put(anna));
    assertThat(parser.parseRequest(array("PUT", "person9", "{ \"name\" : \"Anna\" }"))).isEqualTo(new Command.Put(anna));
    String line = "PUT \"person9\" : { \"name\" : \"Anna\" }";
    assertThat(parser.parseRequest(inline(line, "PUT", "person9", ":", "{", "name", ":", "Anna", "}")))
        .isEqualTo(new Command.Put(anna));
    assertThat(parser.parseRequest(array("status"))).isEqualTo(new Command.Status());
  }

  @Test
  void respRequestErrors() {
    assertThatThrownBy(() -> parser.parseRequest(array("GET")))
        .hasMessage("wrong number of arguments for 'GET' (expected: GET key)");
    assertThatThrownBy(() -> parser.parseRequest(array("GET", "a", "b")))
        .hasMessage("wrong number of arguments for 'GET' (expected: GET key)");
    assertThatThrownBy(() -> parser.parseRequest(array("FOO", "x")))
        .hasMessage("unknown command 'FOO' (try: help)");
    assertThatThrownBy(() -> parser.parseRequest(array("PUT", "a", "b", "c")))
        .hasMessageStartingWith("wrong number of arguments for 'PUT'");
    assertThatThrownBy(() -> parser.parseRequest(array("PUT", "a", "\"x\"")))
        .hasMessageStartingWith("invalid record: ");
    assertThatThrownBy(() -> parser.parseRequest(array("HELP", "x")))
        .hasMessage("HELP takes no arguments (usage: HELP)");
  }
}
