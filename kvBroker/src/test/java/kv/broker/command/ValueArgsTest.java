package kv.broker.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import kv.record.IntValue;
import kv.record.ListValue;
import kv.record.Path;
import kv.record.RecordParser;
import kv.record.StringValue;
import kv.resp.Request;
import org.junit.jupiter.api.Test;

/** APPEND and SETVALUE as typed at the prompt and sent over RESP (array and inline forms), as kvServer reads them. */
class ValueArgsTest {
  private final CommandParser parser = new CommandParser(new RecordParser());

  private Command line(String text) throws BadCommandException {
    return parser.parseLine(text).orElseThrow();
  }

  private Command array(String... args) throws BadCommandException {
    return parser.parseRequest(new Request(bytes(args), null));
  }

  /** An inline request as the router's decoder makes it for a raw-line command: the word, then the rest. */
  private Command inline(String word, String rest) throws BadCommandException {
    return parser.parseRequest(new Request(bytes(word, rest), word + " " + rest));
  }

  private static List<byte[]> bytes(String... args) {
    return java.util.Arrays.stream(args).map(a -> a.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Test
  void appendTakesAKeyOrPathAndKvOrJsonText() throws Exception {
    Command expected = new Command.Append(Path.parse("pets"), new StringValue("mouse"));
    assertThat(line("APPEND pets \"mouse\"")).isEqualTo(expected);
    assertThat(line("append pets mouse")).as("a bare word is a string").isEqualTo(expected);
    assertThat(array("APPEND", "pets", "mouse")).isEqualTo(expected);
    assertThat(array("APPEND", "pets", "\"mouse\"")).isEqualTo(expected);
    assertThat(inline("APPEND", "pets \"mouse\"")).isEqualTo(expected);
    assertThat(line("APPEND person1.pets [ \"a\" ; \"b\" ]")).isEqualTo(new Command.Append(Path.parse("person1.pets"),
        new ListValue(List.of(new StringValue("a"), new StringValue("b")))));
    assertThat(line("APPEND \"a b\".\"c.d\" 12")).isEqualTo(new Command.Append(Path.parse("\"a b\".\"c.d\""),
        new IntValue(12)));
    assertThat(line("APPEND pets \"two words\"")).isEqualTo(new Command.Append(Path.parse("pets"),
        new StringValue("two words")));
  }

  @Test
  void setValueTakesAKeyAndAnyValue() throws Exception {
    Command expected = new Command.PutValue("pets", new ListValue(List.of(new StringValue("cat"))));
    assertThat(line("SETVALUE pets [ \"cat\" ]")).isEqualTo(expected);
    assertThat(line("setvalue \"pets\" [\"cat\"]")).isEqualTo(expected);
    assertThat(array("SETVALUE", "pets", "[\"cat\"]")).isEqualTo(expected);
    assertThat(array("SETVALUE", "a.b", "1")).as("an array argument is the key as it is")
        .isEqualTo(new Command.PutValue("a.b", new IntValue(1)));
    assertThat(inline("SETVALUE", "\"a.b\" 1")).isEqualTo(new Command.PutValue("a.b", new IntValue(1)));
  }

  @Test
  void errorsNameTheProblemAndTheUsage() {
    assertThatThrownBy(() -> line("APPEND pets")).hasMessage(
        "APPEND needs a key or path and a value (usage: APPEND key[.path] value, e.g. APPEND person1.pets \"mouse\")");
    assertThatThrownBy(() -> line("APPEND pets two words")).hasMessageStartingWith("APPEND: invalid value: ")
        .hasMessageEndingWith("(expected: KV or JSON text; a string is quoted, as in APPEND key \"two words\")");
    assertThatThrownBy(() -> line("APPEND pets. 1")).hasMessageStartingWith("APPEND: invalid path: empty segment");
    assertThatThrownBy(() -> array("APPEND", "pets")).hasMessage("wrong number of arguments for 'APPEND' (expected:"
        + " APPEND key[.path] value, e.g. APPEND person1.pets \"mouse\")");
    assertThatThrownBy(() -> line("SETVALUE greeting hello")).hasMessageStartingWith("SETVALUE: invalid value: ")
        .hasMessageEndingWith("(expected: KV or JSON text; a string is quoted, as in SETVALUE greeting \"hello\")");
    assertThatThrownBy(() -> line("SETVALUE a.b 1")).hasMessageStartingWith("SETVALUE key: a.b (expected: a plain word");
    assertThatThrownBy(() -> array("SETVALUE", "k\u0000x", "1"))
        .hasMessageStartingWith("key: U+0000 at character 2 (expected: a key without the NUL character");
    assertThatThrownBy(() -> line("APPEND \"k\\u0000\" 1")).hasMessageStartingWith("key: U+0000 at character 2");
    assertThatThrownBy(() -> line("APPEND\"pets\" 1")).hasMessageStartingWith("missing space after 'APPEND'");
  }

  @Test
  void bareWordsAreStringsOnlyWhenTheyAreWords() {
    assertThat(ValueArgs.isBareWord("mouse")).isTrue();
    assertThat(ValueArgs.isBareWord("a-b_c1")).isTrue();
    assertThat(ValueArgs.isBareWord("1abc")).isFalse();
    assertThat(ValueArgs.isBareWord("NaN")).isFalse();
    assertThat(ValueArgs.isBareWord("two words")).isFalse();
    assertThat(ValueArgs.isBareWord("")).isFalse();
  }
}
