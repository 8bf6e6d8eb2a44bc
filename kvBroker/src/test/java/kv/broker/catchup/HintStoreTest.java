package kv.broker.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kv.cluster.ServerAddress;
import org.junit.jupiter.api.Test;

/** The bounded hint store: newest version per key, overflow by count or size, restore. */
class HintStoreTest {
  private final ServerAddress a = new ServerAddress("10.0.0.1", 9001);
  private final ServerAddress b = new ServerAddress("10.0.0.2", 9002);

  @Test
  void keepsTheNewestVersionPerKeyAndPerServer() {
    HintStore hints = new HintStore(10, 10_000);
    hints.add(a, "k", 20, "{ \"v\" : 2 }");
    hints.add(a, "k", 10, "{ \"v\" : 1 }");
    hints.add(a, "d", 30, null);
    hints.add(b, "k", 5, "{ }");
    assertThat(hints.pending(a)).isTrue();
    assertThat(hints.size(a)).isEqualTo(2);

    HintStore.Drained drained = hints.drain(a);
    assertThat(drained.overflowed()).isFalse();
    assertThat(drained.hints().values()).containsExactly(
        new HintStore.Hint("k", 20, "{ \"v\" : 2 }"), new HintStore.Hint("d", 30, null));
    assertThat(hints.pending(a)).isFalse();
    assertThat(hints.size(b)).isEqualTo(1);
  }

  @Test
  void tooManyHintsOrCharactersDropThemAndAskForAResync() {
    HintStore byCount = new HintStore(3, 10_000);
    for (int i = 0; i < 4; i++) {
      byCount.add(a, "k" + i, 1, "{ }");
    }
    byCount.add(a, "later", 2, "{ }");
    assertThat(byCount.pending(a)).isTrue();
    HintStore.Drained drained = byCount.drain(a);
    assertThat(drained.overflowed()).isTrue();
    assertThat(drained.hints()).isEmpty();

    HintStore bySize = new HintStore(100, 200);
    bySize.add(a, "big", 1, "x".repeat(300));
    assertThat(bySize.drain(a).overflowed()).isTrue();
  }

  @Test
  void restoredHintsLoseToNewerOnesAddedMeanwhile() {
    HintStore hints = new HintStore(10, 10_000);
    hints.add(a, "k", 10, "{ \"v\" : 1 }");
    List<HintStore.Hint> taken = List.copyOf(hints.drain(a).hints().values());
    hints.add(a, "k", 20, "{ \"v\" : 2 }");
    hints.restore(a, taken);
    assertThat(hints.drain(a).hints().get("k").version()).isEqualTo(20);
  }
}
