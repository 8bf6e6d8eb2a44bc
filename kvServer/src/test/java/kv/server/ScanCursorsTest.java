package kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScanCursorsTest {
  @Test
  void cursorsAreDecimalIdsFromOneThatResumeAfterTheirKey() {
    ScanCursors cursors = new ScanCursors(3);
    assertThat(cursors.resume("0")).isNull();
    assertThat(cursors.issue("person1")).isEqualTo("1");
    assertThat(cursors.issue("person2")).isEqualTo("2");
    assertThat(cursors.resume("1")).isEqualTo("person1");
    assertThat(cursors.resume("1")).as("a page can be asked for again").isEqualTo("person1");
    assertThat(cursors.resume("2")).isEqualTo("person2");
  }

  @Test
  void theLeastRecentlyUsedCursorIsEvictedBeyondTheCapacity() {
    ScanCursors cursors = new ScanCursors(3);
    cursors.issue("a"); // 1
    cursors.issue("b"); // 2
    cursors.issue("c"); // 3
    cursors.resume("1"); // 1 is now the most recently used
    cursors.issue("d"); // 4 evicts 2
    assertThat(cursors.resume("1")).isEqualTo("a");
    assertThat(cursors.resume("3")).isEqualTo("c");
    assertThat(cursors.resume("4")).isEqualTo("d");
    assertThatThrownBy(() -> cursors.resume("2")).isInstanceOf(CommandException.class)
        .hasMessage("invalid cursor '2' (expected: 0 or a cursor returned by SCAN within the last 3 scans)");
  }

  @Test
  void anythingElseIsAnInvalidCursor() {
    ScanCursors cursors = new ScanCursors(3);
    cursors.issue("a");
    for (String bad : new String[] {"", "x", "-1", "+1", "01x", "1.0", "18446744073709551615", "2"}) {
      assertThatThrownBy(() -> cursors.resume(bad)).as(bad).isInstanceOf(CommandException.class)
          .hasMessageStartingWith("invalid cursor '" + bad + "'");
    }
  }
}
