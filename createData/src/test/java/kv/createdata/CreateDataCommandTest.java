package kv.createdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreateDataCommandTest {
  private static final String KEY_FILE = "# test keys\nname string\nage int\nheight float\nstreet string\nlevel int\n";

  @TempDir
  Path dir;

  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void writeKeyFile() throws IOException {
    Files.writeString(dir.resolve("keyFile.txt"), KEY_FILE);
  }

  private Run run(boolean terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CreateDataCommand.commandLine(new CreateDataCommand(dir, terminal),
        new PrintWriter(out), new PrintWriter(err)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run run(String... args) {
    return run(false, args);
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void writesTheDefaultOutputFileSilently() throws Exception {
    Run r = run("-n", "25", "--seed", "1");
    assertThat(r).isEqualTo(new Run(0, "", ""));
    assertThat(files()).containsExactly("dataToIndex.txt", "keyFile.txt");
    String text = Files.readString(dir.resolve("dataToIndex.txt"));
    GeneratedRecords.checkDataset(text, 25, 3, 8, 5, "person", KeyFile.parse("k", new java.io.StringReader(KEY_FILE)).keys());
  }

  @Test
  void longFlagNamesAndStandardOutput() throws Exception {
    Run r = run("--key-file", "keyFile.txt", "--records", "40", "--max-depth", "2", "--max-length", "3",
        "--max-keys", "4", "--seed", "9", "--prefix", "item", "--output", "-");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(files()).containsExactly("keyFile.txt");
    GeneratedRecords.checkDataset(r.out(), 40, 2, 3, 4, "item", KeyFile.parse("k", new java.io.StringReader(KEY_FILE)).keys());
    assertThat(run("-k", "keyFile.txt", "-n", "40", "-d", "2", "-l", "3", "-m", "4", "--seed", "9", "--prefix", "item",
        "-o", "same.txt").exitCode()).isZero();
    assertThat(Files.readString(dir.resolve("same.txt"), StandardCharsets.UTF_8)).isEqualTo(r.out());
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws Exception {
    run("-n", "300", "--seed", "-77", "-o", "a.txt");
    run("-n", "300", "--seed", "-77", "-o", "b.txt");
    run("-n", "300", "--seed", "78", "-o", "c.txt");
    assertThat(Files.mismatch(dir.resolve("a.txt"), dir.resolve("b.txt"))).isEqualTo(-1);
    assertThat(Files.mismatch(dir.resolve("a.txt"), dir.resolve("c.txt"))).isNotEqualTo(-1);
  }

  @Test
  void withoutASeedRunsDiffer() throws Exception {
    assertThat(run("-n", "50", "-o", "-").out()).isNotEqualTo(run("-n", "50", "-o", "-").out());
  }

  @Test
  void replacesAnExistingOutputFile() throws Exception {
    Files.writeString(dir.resolve("dataToIndex.txt"), "old\n");
    assertThat(run("-n", "3", "--seed", "5").exitCode()).isZero();
    assertThat(Files.readAllLines(dir.resolve("dataToIndex.txt"))).hasSize(3).allMatch(l -> l.startsWith("person"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "-n 0|createData: -n/--records: 0 (expected: > 0)",
      "-n -5|createData: -n/--records: -5 (expected: > 0)",
      "-n lots|createData: -n/--records: 'lots' (expected: an integer > 0)",
      "-n 99999999999999999999|createData: -n/--records: '99999999999999999999' (expected: an integer > 0)",
      "-n 5 -d -1|createData: -d/--max-depth: -1 (expected: 0..63)",
      "-n 5 -d 64|createData: -d/--max-depth: 64 (expected: 0..63)",
      "-n 5 --max-depth 2.5|createData: -d/--max-depth: '2.5' (expected: an integer 0..63)",
      "-n 5 -l 0|createData: -l/--max-length: 0 (expected: 1..10000)",
      "-n 5 -l 10001|createData: -l/--max-length: 10001 (expected: 1..10000)",
      "-n 5 -m 6|createData: -m/--max-keys: 6 (expected: 0..5, the number of distinct names in keyFile.txt)",
      "-n 5 -m -1|createData: -m/--max-keys: -1 (expected: 0..5, the number of distinct names in keyFile.txt)",
      "-n 5 --seed x|createData: --seed: 'x' (expected: a 64-bit integer)",
      "-n 5 -k missing.txt|createData: cannot read missing.txt: no such file (expected: a text file of 'name type' lines)",
      "-n 5 --frobnicate|createData: Unknown option: '--frobnicate' (try: createData --help)",
      "-d 3|createData: Missing required option: '--records=N' (try: createData --help)",
      "-n 5 extra|createData: Unmatched argument at index 2: 'extra' (try: createData --help)",
      "-n|createData: Missing required parameter for option '--records' (N) (try: createData --help)",
  })
  void badArgumentsGiveOneLineExitTwoAndWriteNothing(String args, String message) throws Exception {
    Files.writeString(dir.resolve("dataToIndex.txt"), "old\n");
    Run r = run(args.split(" "));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(message + System.lineSeparator());
    assertThat(r.out()).isEmpty();
    assertThat(files()).containsExactly("dataToIndex.txt", "keyFile.txt");
    assertThat(Files.readString(dir.resolve("dataToIndex.txt"))).isEqualTo("old\n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "name string\\nage|createData: bad.txt:2: missing type after 'age' (expected: a line 'name type' with type string, int or float; comments start with #)",
      "name string # ok\\nage int years|createData: bad.txt:2: unexpected 'years' after 'age int' (expected: a line 'name type' with type string, int or float; comments start with #)",
      "# c\\n\\nname text|createData: bad.txt:3: unknown type 'text' for 'name' (expected: string, int or float)",
      "name string\\nname int|createData: bad.txt:2: 'name' declared again as int (expected: one type per name; line 1 declares it string)",
  })
  void badKeyFilesNameFileAndLine(String content, String message) throws Exception {
    Files.writeString(dir.resolve("bad.txt"), content.replace("\\n", "\n"));
    Run r = run("-n", "5", "-k", "bad.txt", "-o", "out.txt");
    assertThat(r).isEqualTo(new Run(2, "", message + System.lineSeparator()));
    assertThat(files()).containsExactly("bad.txt", "keyFile.txt");
  }

  @Test
  void maxKeysCountsDistinctNames() throws Exception {
    Files.writeString(dir.resolve("dup.txt"), "a int\nb string\na int\n");
    assertThat(run("-n", "5", "-k", "dup.txt", "-m", "3", "-o", "-").err())
        .isEqualTo("createData: -m/--max-keys: 3 (expected: 0..2, the number of distinct names in dup.txt)"
            + System.lineSeparator());
    assertThat(run("-n", "5", "-k", "dup.txt", "-m", "2", "-o", "-").exitCode()).isZero();
  }

  @Test
  void anOutputThatCannotBeWrittenIsARuntimeFailure() throws Exception {
    Files.createDirectory(dir.resolve("sub"));
    assertThat(run("-n", "5", "-o", "sub")).isEqualTo(
        new Run(1, "", "createData: cannot write sub: it is a directory" + System.lineSeparator()));
    assertThat(run("-n", "5", "-o", "nodir/x.txt")).isEqualTo(
        new Run(1, "", "createData: cannot write nodir/x.txt: its directory does not exist" + System.lineSeparator()));
    assertThat(files()).containsExactly("keyFile.txt", "sub");
  }

  @Test
  void debugAddsTheStackTrace() {
    Run r = run("-n", "5", "-o", "nodir/x.txt", "--debug");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("createData: cannot write nodir/x.txt: its directory does not exist")
        .contains("at kv.createdata.CreateDataCommand");
  }

  @Test
  void helpDocumentsEveryFlagWithItsRange() {
    Run r = run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("-k, --key-file=FILE", "-n, --records=N", "> 0", "-d, --max-depth=D", "0..63",
        "-l, --max-length=L", "1..10000", "-m, --max-keys=M", "0..the number of distinct names",
        "-o, --output=FILE|-", "dataToIndex.txt", "--seed=N", "--prefix=WORD", "--debug", "0..999");
  }

  @Test
  void onATerminalAFileRunEndsWithASummaryButStandardOutputStaysClean() {
    Run toFile = run(true, "-n", "10", "--seed", "12");
    assertThat(toFile.exitCode()).isZero();
    assertThat(toFile.err()).matches("createData: wrote 10 records to dataToIndex.txt in \\d+\\.\\d s \\(--seed 12\\)\\R");
    Run toOut = run(true, "-n", "10", "--seed", "12", "-o", "-");
    assertThat(toOut.err()).isEmpty();
    assertThat(toOut.out()).hasLineCount(10);
  }
}
