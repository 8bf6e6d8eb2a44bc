package kv.createdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyFileTest {
  @TempDir
  Path dir;

  private static KeyFile parse(String text) throws Exception {
    return KeyFile.parse("keys.txt", new StringReader(text));
  }

  @Test
  void readsNamesAndTypesSkippingBlankLinesAndComments() throws Exception {
    KeyFile file = parse("\uFEFF# people\n\nname string\r\n  age\tint   # years\nheight FLOAT\n   \n#x y z\nwe#ird int\n");
    assertThat(file.keys()).containsExactly(
        new KeySpec("name", KeyType.STRING), new KeySpec("age", KeyType.INT),
        new KeySpec("height", KeyType.FLOAT), new KeySpec("we#ird", KeyType.INT));
  }

  @Test
  void aNameRepeatedWithTheSameTypeCountsOnce() throws Exception {
    assertThat(parse("age int\nname string\nage int\n").keys())
        .containsExactly(new KeySpec("age", KeyType.INT), new KeySpec("name", KeyType.STRING));
  }

  @Test
  void anEmptyFileHasNoNames() throws Exception {
    assertThat(parse("# nothing yet\n\n").keys()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "name string\\nage|keys.txt:2: missing type after 'age' (expected: a line 'name type' with type string, int or float; comments start with #)",
      "name string extra|keys.txt:1: unexpected 'extra' after 'name string' (expected: a line 'name type' with type string, int or float; comments start with #)",
      "\\n\\nweight double|keys.txt:3: unknown type 'double' for 'weight' (expected: string, int or float)",
      "age int\\nname string\\nage float|keys.txt:3: 'age' declared again as float (expected: one type per name; line 1 declares it int)",
  })
  void namesTheLineAndWhatIsExpected(String text, String message) {
    assertThatThrownBy(() -> parse(text.replace("\\n", "\n")))
        .isInstanceOf(KeyFileException.class).hasMessage(message);
  }

  @Test
  void aMissingFileIsNamedAsTyped() {
    assertThatThrownBy(() -> KeyFile.read(dir.resolve("nope.txt"), "nope.txt"))
        .isInstanceOf(KeyFileException.class)
        .hasMessage("cannot read nope.txt: no such file (expected: a text file of 'name type' lines)");
  }

  @Test
  void aDirectoryIsNotAKeyFile() {
    assertThatThrownBy(() -> KeyFile.read(dir, "somedir"))
        .isInstanceOf(KeyFileException.class)
        .hasMessage("cannot read somedir: it is a directory (expected: a text file of 'name type' lines)");
  }

  @Test
  void bytesThatAreNotUtf8AreReported() throws Exception {
    Path file = dir.resolve("k.txt");
    Files.write(file, new byte[] {'a', ' ', 'i', 'n', 't', '\n', (byte) 0xff, (byte) 0xfe, ' ', 'i', 'n', 't'});
    assertThatThrownBy(() -> KeyFile.read(file, "k.txt"))
        .isInstanceOf(KeyFileException.class)
        .hasMessage("k.txt: not UTF-8 text (expected: a text file of 'name type' lines)");
  }

  @Test
  void theRepositorysKeyFileHasTheAssignmentsNamesFirst() throws Exception {
    KeyFile file = KeyFile.read(Path.of("../keyFile.txt"), "keyFile.txt");
    assertThat(file.keys()).startsWith(
        new KeySpec("name", KeyType.STRING), new KeySpec("age", KeyType.INT),
        new KeySpec("height", KeyType.FLOAT), new KeySpec("street", KeyType.STRING),
        new KeySpec("level", KeyType.INT));
    assertThat(file.keys()).hasSizeGreaterThanOrEqualTo(10);
    assertThat(List.of(KeyType.values())).allMatch(t -> file.keys().stream().anyMatch(k -> k.type() == t));
    assertThat(Files.readString(Path.of("../keyFile.txt"), StandardCharsets.UTF_8)).endsWith("\n");
  }
}
