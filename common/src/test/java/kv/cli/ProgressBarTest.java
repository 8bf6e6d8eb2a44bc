package kv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private final StringWriter err = new StringWriter();

  private ProgressBar bar(boolean enabled) {
    return new ProgressBar(new PrintWriter(err), clock::get, enabled);
  }

  @Test
  void aDisabledBarPrintsNothing() {
    ProgressBar bar = bar(false);
    for (long i = 1; i <= 10_000; i++) {
      clock.addAndGet(1_000_000);
      bar.update(i, 10_000, i);
    }
    bar.finish("summary");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aShortRunShowsOnlyTheSummary() {
    ProgressBar bar = bar(true);
    for (long i = 1; i <= 4096; i++) {
      bar.update(i, 4096, i);
    }
    bar.finish("summary");
    assertThat(err.toString()).isEqualTo("summary" + System.lineSeparator());
  }

  @Test
  void aLongRunRedrawsOneThrottledLineThenEndsIt() {
    ProgressBar bar = bar(true);
    for (long i = 1; i <= 1_000_000; i++) {
      clock.addAndGet(1_000); // 1 µs per record: 1 s in all
      bar.update(i, 1_000_000, i);
    }
    bar.finish("summary");
    String text = err.toString();
    long redraws = text.chars().filter(c -> c == '\r').count();
    // first draw after 0.5 s, then at most every 0.2 s, plus the final 100% line
    assertThat(redraws).isBetween(2L, 5L);
    assertThat(text).contains("] 100%  1,000,000/1,000,000 records  1,000,000 records/s")
        .contains("%  ").doesNotContain("\n\r").endsWith("\nsummary" + System.lineSeparator());
    assertThat(text.substring(text.lastIndexOf('\r'))).contains("[##############################]");
  }

  @Test
  void workCountedInBytesShowsTheRecordsWithoutATotal() {
    ProgressBar bar = bar(true);
    clock.addAndGet(ProgressBar.FIRST_DRAW_NANOS);
    bar.update(500, 2000, 12);
    assertThat(err.toString()).isEqualTo("\r[#######-----------------------]  25%  12 records  24 records/s ");
    bar.finish("done");
    assertThat(err.toString()).endsWith("12 records  24 records/s \ndone" + System.lineSeparator());
  }

  @Test
  void anUnknownTotalDrawsNoBar() {
    ProgressBar bar = bar(true);
    clock.addAndGet(ProgressBar.FIRST_DRAW_NANOS);
    bar.update(500, -1, 1000);
    assertThat(err.toString()).isEqualTo("\r1,000 records  2,000 records/s ");
  }
}
