package kv.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Decimal cursor ids for SCAN positions: issue, resume, retry, eviction, unknown ids. */
class ScanCursorTableTest {

  @Test
  void aCursorIsADecimalNumberThatResumesAfterItsKeyAndMayBeRetried() throws Exception {
    ScanCursorTable table = new ScanCursorTable(10);
    String cursor = table.issue("person12");
    assertThat(cursor).matches("[1-9][0-9]*");
    assertThat(Long.parseUnsignedLong(cursor)).isPositive();
    assertThat(table.resume(cursor)).isEqualTo("person12");
    assertThat(table.resume(cursor)).isEqualTo("person12");
    assertThat(table.resume("0")).isNull();
    assertThat(table.issue("x")).isNotEqualTo(cursor);
  }

  @Test
  void theLeastRecentlyUsedCursorsAreEvictedAndUnknownOnesAreNamed() throws Exception {
    ScanCursorTable table = new ScanCursorTable(2);
    String first = table.issue("a");
    String second = table.issue("b");
    table.resume(first); // used: the second is now the eldest
    table.issue("c");
    assertThat(table.resume(first)).isEqualTo("a");
    assertThatThrownBy(() -> table.resume(second)).isInstanceOf(CommandException.class)
        .hasMessageContaining("invalid cursor '" + second + "'").hasMessageContaining("last 2 scans");
    assertThatThrownBy(() -> table.resume("abc")).isInstanceOf(CommandException.class);
    assertThatThrownBy(() -> table.resume("99999999999999999999999")).isInstanceOf(CommandException.class);
  }
}
