package kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Decimal cursor ids for SCAN positions: issue, resume, retry, eviction, unknown ids. */
class ScanCursorsTest {
  @Test
  void cursorsAreDecimalIdsThatResumeAfterTheirKeyAndMayBeRetried() {
    ScanCursors cursors = new ScanCursors(3);
    assertThat(cursors.resume("0")).isNull();
    String first = cursors.issue("person1");
    String second = cursors.issue("person2");
    assertThat(first).matches("[1-9][0-9]*");
    assertThat(Long.parseLong(second)).isEqualTo(Long.parseLong(first) + 1);
    assertThat(cursors.resume(first)).isEqualTo("person1");
    assertThat(cursors.resume(first)).as("a page can be asked for again").isEqualTo("person1");
    assertThat(cursors.resume(second)).isEqualTo("person2");
  }

  @Test
  void idsStartAtRandomSoACursorFromAnEarlierRunIsUnknown() {
    assertThat(new ScanCursors(3).issue("a")).isNotEqualTo(new ScanCursors(3).issue("a"));
  }

  @Test
  void theLeastRecentlyUsedCursorIsEvictedBeyondTheCapacity() {
    ScanCursors cursors = new ScanCursors(3);
    String a = cursors.issue("a");
    String b = cursors.issue("b");
    String c = cursors.issue("c");
    cursors.resume(a); // a is now the most recently used
    String d = cursors.issue("d"); // evicts b
    assertThat(cursors.resume(a)).isEqualTo("a");
    assertThat(cursors.resume(c)).isEqualTo("c");
    assertThat(cursors.resume(d)).isEqualTo("d");
    assertThatThrownBy(() -> cursors.resume(b)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid cursor '" + b + "' (expected: 0 to start, or a cursor returned by SCAN here within"
            + " the last 3 scans; start again from 0)");
  }

  @Test
  void anythingElseIsAnInvalidCursor() {
    ScanCursors cursors = new ScanCursors(3);
    String issued = cursors.issue("a");
    String next = Long.toString(Long.parseLong(issued) + 1);
    for (String bad : new String[] {"", "x", "-1", "+1", "01x", "1.0", "18446744073709551615", next}) {
      assertThatThrownBy(() -> cursors.resume(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid cursor '" + bad + "'");
    }
    String long50 = "9".repeat(50);
    assertThatThrownBy(() -> cursors.resume(long50))
        .hasMessageStartingWith("invalid cursor '" + "9".repeat(40) + "...'");
  }

  @Test
  void rejectsANonPositiveCapacity() {
    assertThatThrownBy(() -> new ScanCursors(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity: 0 (expected: >= 1)");
  }
}
