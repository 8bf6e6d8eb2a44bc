package kv.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordParserTest {
  private final RecordParser parser = new RecordParser();

  private static SetValue set(Object... keysAndValues) {
    SetValue.Builder b = SetValue.builder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      b.put((String) keysAndValues[i], (Value) keysAndValues[i + 1]);
    }
    return b.build();
  }

  private static StringValue s(String v) {
    return new StringValue(v);
  }

  private static IntValue i(long v) {
    return new IntValue(v);
  }

  @Test
  void readsTheAssignmentsRecords() throws Exception {
    Record p1 = parser.parseRecord("\"person1\" : { \"name\" : \"John\" ; \"age\" : 22 }");
    Record p2 = parser.parseRecord(
        "\"person2\" : { \"name\" : \"Mary\" ; \"address\" : { \"street\" : \"Panepistimiou\" ; \"number\" : 12 } }");
    Record p3 = parser.parseRecord("\"person3\" : { \"height\" : 1.75 ; \"profession\" : \"student\" }");
    Record p4 = parser.parseRecord("\"person4\" : {}");

    assertThat(p1).isEqualTo(new Record("person1", set("name", s("John"), "age", i(22))));
    assertThat(p2).isEqualTo(new Record("person2",
        set("name", s("Mary"), "address", set("street", s("Panepistimiou"), "number", i(12)))));
    assertThat(p3).isEqualTo(new Record("person3", set("height", new DoubleValue(1.75), "profession", s("student"))));
    assertThat(p4).isEqualTo(new Record("person4", SetValue.empty()));
    assertThat(RecordPrinter.print(p2)).isEqualTo(
        "person2 : { \"name\" : \"Mary\" ; \"address\" : { \"street\" : \"Panepistimiou\" ; \"number\" : 12 } }");
  }

  @Test
  void readsPrintedOutputBackAndKeepsTheWrittenOrder() throws Exception {
    String printed = "person2 : { \"name\" : \"Mary\" ; \"address\" : { \"street\" : \"Panepistimiou\" ; \"number\" : 12 } }";
    Record r = parser.parseRecord(printed);
    assertThat(RecordPrinter.print(r)).isEqualTo(printed);
    assertThat(r.value().keys()).containsExactly("name", "address");
    assertThat(RecordPrinter.print(parser.parseRecord("z : { \"b\" : 1 ; \"a\" : 2 ; \"c\" : 3 }")))
        .isEqualTo("z : { \"b\" : 1 ; \"a\" : 2 ; \"c\" : 3 }");
  }

  @Test
  void acceptsBarePlainWordKeysCommasFreeWhitespaceAndJsonObjects() throws Exception {
    Record r = parser.parseRecord("\n\t p_1-x:{name:\"Ann\",\r\n  \"age\" :\n 30 ;tags : [ 1 ; 2, 3 ] }  \r\n");
    assertThat(r).isEqualTo(new Record("p_1-x",
        set("name", s("Ann"), "age", i(30), "tags", new ListValue(List.of(i(1), i(2), i(3))))));
    assertThat(parser.parseSet("{\"a\":{\"b\":[]},\"c\":{}}"))
        .isEqualTo(set("a", set("b", new ListValue(List.of())), "c", SetValue.empty()));
  }

  @Test
  void readsEveryKindOfValue() throws Exception {
    SetValue v = parser.parseSet("{ \"s\" : \"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00;\" ; \"i\" : -9223372036854775808 ;"
        + " \"j\" : 9223372036854775807 ; \"d\" : -0.0 ; \"e\" : 1e3 ; \"E\" : 2.5E-3 ; \"max\" : 1.7976931348623157e308 ;"
        + " \"tiny\" : 1e-999 ; \"t\" : true ; \"f\" : false ; \"z\" : null ; \"neg0\" : -0 }");
    assertThat(v.get("s")).isEqualTo(s("a\"b\\c\né\uD83D\uDE00;"));
    assertThat(v.get("i")).isEqualTo(i(Long.MIN_VALUE));
    assertThat(v.get("j")).isEqualTo(i(Long.MAX_VALUE));
    assertThat(v.get("d")).isEqualTo(new DoubleValue(-0.0));
    assertThat(v.get("e")).isEqualTo(new DoubleValue(1000.0));
    assertThat(v.get("E")).isEqualTo(new DoubleValue(0.0025));
    assertThat(v.get("max")).isEqualTo(new DoubleValue(Double.MAX_VALUE));
    assertThat(v.get("tiny")).as("an underflow rounds to zero, like any rounding").isEqualTo(new DoubleValue(0.0));
    assertThat(v.get("t")).isEqualTo(BoolValue.TRUE);
    assertThat(v.get("f")).isEqualTo(BoolValue.FALSE);
    assertThat(v.get("z")).isEqualTo(NullValue.INSTANCE);
    assertThat(v.get("neg0")).isEqualTo(i(0));
  }

  @Test
  void parseValueReadsAnySingleValue() throws Exception {
    assertThat(parser.parseValue(" 12 ")).isEqualTo(i(12));
    assertThat(parser.parseValue("\"Mary\"")).isEqualTo(s("Mary"));
    assertThat(parser.parseValue("1.75")).isEqualTo(new DoubleValue(1.75));
    assertThat(parser.parseValue("[ \"a\", { \"b\" : null } ]"))
        .isEqualTo(new ListValue(List.of(s("a"), set("b", NullValue.INSTANCE))));
    assertThat(parser.parseValue("{}")).isEqualTo(SetValue.empty());
  }

  // --- the SPEC's invalid records, with their exact messages --------------------------------------

  /** parseRecord rejects it with this message. */
  private void rejectsRecord(String text, String message, int line, int column) {
    assertThatThrownBy(() -> parser.parseRecord(text))
        .isInstanceOfSatisfying(RecordFormatException.class, e -> {
          assertThat(e.getMessage()).isEqualTo(message + " at line " + line + " column " + column);
          assertThat(e.line()).isEqualTo(line);
          assertThat(e.column()).isEqualTo(column);
        });
  }

  @Test
  void rejectsATopLevelValueThatIsNotASet() {
    rejectsRecord("\"person5\" : \"hello\"",
        "record value for \"person5\": expected a set { ... } but found a string", 1, 13);
    rejectsRecord("person5 : 12", "record value for \"person5\": expected a set { ... } but found a number", 1, 11);
    rejectsRecord("person5 : [ {} ]", "record value for \"person5\": expected a set { ... } but found a list", 1, 11);
    rejectsRecord("person5 :", "record value for \"person5\": expected a set { ... } but found end of input", 1, 10);
  }

  @Test
  void rejectsAKeyWithoutAValue() {
    rejectsRecord("\"person6\" : { \"address\" : { \"there\" } }",
        "missing value for key \"there\": expected ':' and a value but found '}'", 1, 37);
    rejectsRecord("p : { \"a\" ; \"b\" : 1 }", "missing value for key \"a\": expected ':' and a value but found ';'", 1, 11);
    rejectsRecord("p : { \"a\" : }", "expected a value for key \"a\" (a string in double quotes, a number, a set { ... },"
        + " a list [ ... ], true, false or null) but found '}'", 1, 13);
  }

  @Test
  void rejectsAMissingClosingBrace() {
    rejectsRecord("\"person1\" : { \"name\" : \"John\" ; \"age\" : 22",
        "unclosed set: expected ';' or ',' between pairs, or '}' to close the set opened at line 1 column 13"
            + " but found end of input", 1, 43);
    rejectsRecord("p : {", "unclosed set: expected a key or '}' to close the set opened at line 1 column 5"
        + " but found end of input", 1, 6);
    rejectsRecord("p : { \"a\" : { \"b\" : 1 }\n",
        "unclosed set: expected ';' or ',' between pairs, or '}' to close the set opened at line 1 column 5"
            + " but found end of input", 2, 1);
    rejectsRecord("p : { \"a\" : [ 1, 2 }", "expected ',' or ';' between items, or ']' in the list opened at line 1"
        + " column 13 but found '}'", 1, 20);
  }

  @Test
  void rejectsADuplicateKeyNamingIt() {
    rejectsRecord("p : { \"name\" : \"a\" ; \"age\" : 1 ; name : \"b\" }",
        "duplicate key \"name\" in one set (expected: each key at most once per set)", 1, 34);
    rejectsRecord("p : { \"a\" : { \"x\" : 1 , \"x\" : 1 } }",
        "duplicate key \"x\" in one set (expected: each key at most once per set)", 1, 25);
  }

  @Test
  void acceptsTheSameKeyInDifferentSets() throws Exception {
    assertThat(parser.parseRecord("p : { \"a\" : { \"a\" : { \"a\" : 1 } } }").value())
        .isEqualTo(set("a", set("a", set("a", i(1)))));
  }

  @Test
  void rejectsTrailingText() {
    rejectsRecord("p : { \"a\" : 1 } x", "trailing text after the record: 'x' (expected: end of input)", 1, 17);
    rejectsRecord("p : {} ; q : {}", "trailing text after the record: ';' (expected: end of input)", 1, 8);
    rejectsRecord("p : {} }", "trailing text after the record: '}' (expected: end of input)", 1, 8);
    assertThatThrownBy(() -> parser.parseValue("1 2"))
        .hasMessage("trailing text after the value: '2' (expected: end of input) at line 1 column 3");
    assertThatThrownBy(() -> parser.parseSet("{} {}"))
        .hasMessage("trailing text after the set: '{' (expected: end of input) at line 1 column 4");
  }

  @Test
  void rejectsNestingDeeperThanTheLimitBeforeReadingIt() throws Exception {
    RecordParser shallow = new RecordParser(new Limits(3, 1000));
    assertThat(shallow.parseRecord("p : { \"a\" : { \"b\" : [ 1 ] } }").value())
        .isEqualTo(set("a", set("b", new ListValue(List.of(i(1))))));
    assertThatThrownBy(() -> shallow.parseRecord("p : { \"a\" : { \"b\" : { \"c\" : { \"d\" : 1 } } } }"))
        .hasMessage("nesting too deep: depth 4 (expected: <= 3) at line 1 column 29");
    // far deeper than Gson's own default limit: still our message, at the first level too deep
    String deep = "[".repeat(100_000);
    assertThatThrownBy(() -> new RecordParser(new Limits(3, 1_000_000)).parseValue(deep))
        .hasMessage("nesting too deep: depth 4 (expected: <= 3) at line 1 column 4");
    // deeper than Gson's default nesting limit (255) when the configured limit allows it
    String deepList = "[".repeat(300) + "]".repeat(300);
    assertThat(new RecordParser(new Limits(300, 1000)).parseValue(deepList)).isInstanceOf(ListValue.class);
    assertThatThrownBy(() -> new RecordParser(new Limits(299, 1000)).parseValue(deepList))
        .hasMessage("nesting too deep: depth 300 (expected: <= 299) at line 1 column 300");
    assertThatThrownBy(() -> new RecordParser(new Limits(1, 100)).parseSet("{ \"a\" : {} }"))
        .hasMessage("nesting too deep: depth 2 (expected: <= 1) at line 1 column 9");
  }

  @Test
  void theDepthLimitIsBoundedByWhatTheStackCanTake() throws Exception {
    assertThatThrownBy(() -> new Limits(Limits.MAX_DEPTH + 1, 1000))
        .hasMessage("maxDepth: 1001 (expected: 1..1000)");
    String deepest = "[".repeat(Limits.MAX_DEPTH) + "]".repeat(Limits.MAX_DEPTH);
    RecordParser parser = new RecordParser(new Limits(Limits.MAX_DEPTH, 1 << 20));
    assertThat(parser.parseValue(deepest)).isInstanceOf(ListValue.class);
    // On a thread whose stack is far below the JVM's default: an error, not a StackOverflowError.
    Throwable[] thrown = new Throwable[1];
    Thread small = new Thread(null, () -> {
      try {
        parser.parseValue(deepest);
      } catch (Throwable t) {
        thrown[0] = t;
      }
    }, "small-stack", 64 * 1024);
    small.start();
    small.join();
    assertThat(thrown[0]).isInstanceOf(RecordFormatException.class)
        .hasMessage("nesting too deep for this thread's stack (limit 1000 levels; expected: a thread stack of at"
            + " least 1 MiB, the JVM's default -Xss)")
        .hasCauseInstanceOf(StackOverflowError.class);
  }

  @Test
  void rejectsTextLargerThanTheLimitBeforeParsing() throws Exception {
    RecordParser small = new RecordParser(new Limits(8, 20));
    String fits = "p : { \"a\" : \"xyz\" }"; // 19 bytes
    assertThat(small.parseRecord(fits).value()).isEqualTo(set("a", s("xyz")));
    assertThatThrownBy(() -> small.parseRecord("p : { \"a\" : \"xyzé\" }"))
        .isInstanceOfSatisfying(RecordFormatException.class, e -> {
          assertThat(e).hasMessage("record size: 21 bytes (expected: <= 20)");
          assertThat(e.line()).isZero();
        });
    // not even well-formed: the size is checked first
    assertThatThrownBy(() -> small.parseRecord("{".repeat(1000)))
        .hasMessage("record size: at least 1000 bytes (expected: <= 20)");
    assertThatThrownBy(() -> small.parseValue("\"" + "😀".repeat(5) + "\""))
        .hasMessage("value size: 22 bytes (expected: <= 20)");
  }

  // --- what lenient mode would let through, and what we decided -----------------------------------

  @Test
  void rejectsBareKeysThatAreNotPlainWords() {
    rejectsRecord("p : { a.b : 1 }", "bare key \"a.b\" is not a plain word (expected: letters, digits, '_' or '-',"
        + " or the key in double quotes)", 1, 7);
    rejectsRecord("person.1 : {}", "bare key \"person.1\" is not a plain word (expected: letters, digits, '_' or"
        + " '-', or the key in double quotes)", 1, 1);
    rejectsRecord("p : { é : 1 }", "expected a key (a string in double quotes or a plain word of letters, digits,"
        + " '_' or '-') but found 'é'", 1, 7);
  }

  @Test
  void rejectsBareWordsAsValues() {
    rejectsRecord("p : { \"a\" : hello }", "expected a value for key \"a\" (a string in double quotes, a number,"
        + " a set { ... }, a list [ ... ], true, false or null) but found unquoted text \"hello\"", 1, 13);
    rejectsRecord("p : { \"a\" : [ nan ] }", "expected a list item (a string in double quotes, a number,"
        + " a set { ... }, a list [ ... ], true, false or null) but found unquoted text \"nan\"", 1, 15);
    rejectsRecord("p : { \"a\" : hello }x", "expected a value for key \"a\" (a string in double quotes, a number,"
        + " a set { ... }, a list [ ... ], true, false or null) but found unquoted text \"hello\"", 1, 13);
    rejectsRecord("p : hello", "record value for \"p\": expected a set { ... } but found unquoted text", 1, 5);
  }

  @Test
  void rejectsSingleQuotes() {
    rejectsRecord("p : { \"a\" : 'x' }", "single-quoted string (expected: a string in double quotes)", 1, 13);
    rejectsRecord("p : { 'a' : 1 }", "single-quoted key (expected: a key in double quotes or a plain word)", 1, 7);
    rejectsRecord("'p' : {}", "single-quoted key (expected: the record's key in double quotes or a plain word)", 1, 1);
    rejectsRecord("p : 'x'", "record value for \"p\": expected a set { ... } but found a single-quoted string", 1, 5);
  }

  @Test
  void rejectsOtherSeparatorsThanTheColon() {
    rejectsRecord("p : { \"a\" = 1 }", "expected ':' after key \"a\" but found '='", 1, 11);
    rejectsRecord("p : { \"a\" => 1 }", "expected ':' after key \"a\" but found '='", 1, 11);
    rejectsRecord("p = {}", "expected ':' after the record's key \"p\" but found '='", 1, 3);
    rejectsRecord("p { }", "expected ':' after the record's key \"p\" but found '{'", 1, 3);
  }

  @Test
  void rejectsComments() {
    rejectsRecord("p : { \"a\" : 1 # one\n }", "expected ';' or ',' between pairs, or '}' in the set opened at"
        + " line 1 column 5 but found '#'", 1, 15);
    rejectsRecord("p : { // none\n }", "expected a key (a string in double quotes or a plain word of letters,"
        + " digits, '_' or '-') but found '/'", 1, 7);
    rejectsRecord("p : /* x */ {}", "record value for \"p\": expected a set { ... } but found '/'", 1, 5);
  }

  @Test
  void rejectsEmptyListElementsAndTrailingSeparators() {
    String kinds = "(a string in double quotes, a number, a set { ... }, a list [ ... ], true, false or null)";
    rejectsRecord("p : { \"a\" : [ 1,, 2 ] }", "expected a list item " + kinds + " but found ','", 1, 17);
    rejectsRecord("p : { \"a\" : [ 1, ] }", "expected a list item " + kinds + " but found ']'", 1, 18);
    rejectsRecord("p : { \"a\" : [ , ] }", "expected a list item " + kinds + " but found ','", 1, 15);
    rejectsRecord("p : { \"a\" : 1 ; }", "trailing ';' before '}' (expected: a pair after each separator)", 1, 17);
    rejectsRecord("p : { ; }", "expected a key (a string in double quotes or a plain word of letters, digits,"
        + " '_' or '-') but found ';'", 1, 7);
  }

  @Test
  void acceptsOnlyLowercaseKeywords() {
    rejectsRecord("p : { \"a\" : TRUE }", "expected true in lowercase but found \"TRUE\"", 1, 13);
    rejectsRecord("p : { \"a\" : False }", "expected false in lowercase but found \"False\"", 1, 13);
    rejectsRecord("p : { \"a\" : nULL }", "expected null in lowercase but found \"nULL\"", 1, 13);
  }

  @Test
  void rejectsRawControlCharactersAndNonJsonEscapesInStrings() {
    rejectsRecord("p : { \"a\" : \"x\ty\" }",
        "control character U+0009 inside a string (expected: an escape such as \\n or \\u0001)", 1, 15);
    rejectsRecord("p : { \"a\\nb\" : 1, \"c\nd\" : 2 }",
        "control character U+000A inside a string (expected: an escape such as \\n or \\u0001)", 1, 21);
    String escapes = "(expected: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits)";
    rejectsRecord("p : { \"a\" : \"x\\'y\" }", "invalid escape sequence \\' in a string " + escapes, 1, 15);
    rejectsRecord("p : { \"a\" : \"x\\qy\" }", "invalid escape sequence \\q in a string " + escapes, 1, 15);
    rejectsRecord("p : { \"a\" : \"x\\u12\" }", "invalid escape sequence \\u12 in a string " + escapes, 1, 15);
    rejectsRecord("p : { \"a\" : \"x\\\ny\" }", "invalid escape sequence \\ followed by U+000A in a string " + escapes, 1, 15);
  }

  @Test
  void rejectsUnterminatedStrings() {
    rejectsRecord("p : { \"a\" : \"xy }", "unterminated string (expected: a closing '\"')", 1, 13);
    rejectsRecord("\"p : {}", "unterminated string (expected: a closing '\"')", 1, 1);
    assertThatThrownBy(() -> parser.parseValue("\"abc\\"))
        .hasMessageStartingWith("invalid escape sequence \\ in a string");
  }

  @Test
  void rejectsIntegersBeyond64BitsAndOtherNonJsonNumbers() {
    rejectsRecord("p : { \"a\" : 9223372036854775808 }", "integer 9223372036854775808 out of range (expected:"
        + " -9223372036854775808 to 9223372036854775807, or a float such as 9.223372036854776E18)", 1, 13);
    rejectsRecord("p : { \"a\" : -99999999999999999999 }", "integer -99999999999999999999 out of range (expected:"
        + " -9223372036854775808 to 9223372036854775807, or a float such as -1.0E20)", 1, 13);
    String kinds = "(a string in double quotes, a number, a set { ... }, a list [ ... ], true, false or null)";
    rejectsRecord("p : { \"a\" : 01 }", "expected a value for key \"a\" " + kinds + " but found unquoted text \"01\"", 1, 13);
    rejectsRecord("p : { \"a\" : 1. }", "expected a value for key \"a\" " + kinds + " but found unquoted text \"1.\"", 1, 13);
    rejectsRecord("p : { \"a\" : +1 }", "expected a value for key \"a\" " + kinds + " but found unquoted text \"+1\"", 1, 13);
    rejectsRecord("p : { \"a\" : 0x10 }", "expected a value for key \"a\" " + kinds + " but found unquoted text \"0x10\"", 1, 13);
  }

  /** JSON has no NaN or Infinity: neither as words nor as a literal too large for a double. */
  @Test
  void rejectsNumbersBeyondADoubleAndNonFiniteWords() throws RecordFormatException {
    String range = " (expected: a finite number, at most 1.7976931348623157E308 in magnitude)";
    rejectsRecord("p : { \"a\" : 1e999 }", "number 1e999 out of range" + range, 1, 13);
    rejectsRecord("p : {\n  \"a\" : [ 1, -2.5E400 ] }", "number -2.5E400 out of range" + range, 2, 14);
    rejectsRecord("p : { \"a\" : 1.8e308 }", "number 1.8e308 out of range" + range, 1, 13);
    String word = " is not a JSON number (expected: a finite number; JSON has no NaN or Infinity)";
    rejectsRecord("p : { \"a\" : NaN }", "NaN" + word, 1, 13);
    rejectsRecord("p : { \"b\" : 1 ; \"a\" : Infinity }", "Infinity" + word, 1, 23);
    rejectsRecord("p : { \"a\" : { \"c\" : -Infinity } }", "-Infinity" + word, 1, 21);
    assertThatThrownBy(() -> parser.parseValue("NaN")).hasMessage("NaN" + word + " at line 1 column 1");
    assertThatThrownBy(() -> parser.parseValue(" 1e999")).hasMessage("number 1e999 out of range" + range
        + " at line 1 column 2");
    assertThat(parser.parseValue("\"NaN\"")).as("a string is fine").isEqualTo(s("NaN"));
  }

  @Test
  void acceptsFloatsThatRoundAsDoublesDo() throws Exception {
    assertThat(parser.parseValue("1e-999")).isEqualTo(new DoubleValue(0.0));
    assertThat(parser.parseValue("1E3")).isEqualTo(new DoubleValue(1000.0));
    assertThat(parser.parseValue("-2e-2")).isEqualTo(new DoubleValue(-0.02));
    assertThat(parser.parseValue("10")).isEqualTo(new IntValue(10));
    assertThat(parser.parseValue("0.1000000000000000055511151231257827"))
        .isEqualTo(new DoubleValue(0.1));
  }

  @Test
  void rejectsWhatGsonWouldSkipBeforeATopLevelValue() {
    String kinds = "(a string in double quotes, a number, a set { ... }, a list [ ... ], true, false or null)";
    assertThatThrownBy(() -> parser.parseValue(")]}'\n1"))
        .hasMessage("expected a value " + kinds + " but found ')' at line 1 column 1");
    assertThatThrownBy(() -> parser.parseValue("\uFEFF1"))
        .hasMessage("expected a value " + kinds + " but found U+FEFF at line 1 column 1");
    assertThatThrownBy(() -> parser.parseValue("@x"))
        .hasMessage("expected a value " + kinds + " but found '@' at line 1 column 1");
    assertThatThrownBy(() -> parser.parseSet(")]}'\n{}"))
        .hasMessage("expected a set { ... } but found ')' at line 1 column 1");
  }

  @Test
  void rejectsMissingKeysAndEmptyText() {
    rejectsRecord("", "empty record (expected: key : { ... })", 1, 1);
    rejectsRecord("  \n ", "empty record (expected: key : { ... })", 2, 2);
    rejectsRecord("{ \"a\" : 1 }", "expected the record's key (a string in double quotes or a plain word of"
        + " letters, digits, '_' or '-') but found '{'", 1, 1);
    assertThatThrownBy(() -> parser.parseValue("")).hasMessage("expected a value (a string in double quotes, a number,"
        + " a set { ... }, a list [ ... ], true, false or null) but found end of input at line 1 column 1");
    assertThatThrownBy(() -> parser.parseSet(" [] ")).hasMessage("expected a set { ... } but found a list at line 1 column 2");
  }

  @Test
  void reportsLinesAndColumnsOfMultiLineText() {
    rejectsRecord("p : {\n  \"a\" : 1\n  \"b\" : 2\n}",
        "expected ';' or ',' between pairs, or '}' in the set opened at line 1 column 5 but found '\"'", 3, 3);
    rejectsRecord("p : {\n  \"a\" : \"x\\\\\" ;\n  \"a\" : 2\n}",
        "duplicate key \"a\" in one set (expected: each key at most once per set)", 3, 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"p : { \"a\" : \"x\\qy\" }", "p : { \"a\" : [1,,2] }", "p : { 'a' = \"b\" }",
      "p : { \"a\" : \"xy }", "p : { \"a\" : 1 ; }", "p : { a b }", "p : { \"a\" : 1 } }", "p : { \"a\" : { }",
      ")]}'\n p : {}", "p : { \"a\" : \"\\u12", "p : {\"a\":\"\\"})
  void neverLeaksGsonInMessages(String text) {
    assertThatThrownBy(() -> parser.parseRecord(text))
        .isInstanceOf(RecordFormatException.class)
        .satisfies(e -> assertThat(e.getMessage())
            .doesNotContainIgnoringCase("gson")
            .doesNotContainIgnoringCase("lenient")
            .doesNotContain("JsonReader")
            .doesNotContain("MalformedJson")
            .doesNotContain("path $")
            .matches("(?s).* at line \\d+ column \\d+"));
  }
}
