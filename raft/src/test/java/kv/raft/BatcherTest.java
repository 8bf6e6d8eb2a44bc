package kv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatcherTest {
  private final List<String> sent = new ArrayList<>();

  private Batcher<Integer> batcher(int slots, int maxOps, long maxBytes) {
    return new Batcher<>(slots, maxOps, maxBytes, n -> n, (slot, batch) -> sent.add(slot + ":" + batch));
  }

  @Test
  void underLowLoadEachRequestLeavesAtOnce() {
    Batcher<Integer> b = batcher(2, 100, 1000);
    b.submit(1);
    b.done(0);
    b.submit(2);
    assertThat(sent).containsExactly("0:[1]", "0:[2]");
  }

  @Test
  void requestsArrivingWhileEverySlotIsBusyLeaveTogetherInOrder() {
    Batcher<Integer> b = batcher(2, 100, 1000);
    b.submit(1);
    b.submit(2);
    for (int i = 3; i <= 7; i++) {
      b.submit(i);
    }
    assertThat(sent).containsExactly("0:[1]", "1:[2]");
    assertThat(b.waiting()).isEqualTo(5);
    b.done(1);
    assertThat(sent).containsExactly("0:[1]", "1:[2]", "1:[3, 4, 5, 6, 7]");
    b.done(0);
    b.done(1);
    assertThat(b.freeSlots()).isEqualTo(2);
    assertThat(sent).hasSize(3);
  }

  @Test
  void batchesRespectTheOpAndByteLimitsButTakeAtLeastOne() {
    Batcher<Integer> b = batcher(1, 3, 10);
    b.submit(1);
    for (int i : new int[] {1, 1, 1, 1, 4, 7, 50, 2}) {
      b.submit(i);
    }
    b.done(0);
    b.done(0);
    b.done(0);
    b.done(0);
    b.done(0);
    assertThat(sent).containsExactly("0:[1]", "0:[1, 1, 1]", "0:[1, 4]", "0:[7]", "0:[50]", "0:[2]");
  }

  @Test
  void drainTakesEveryWaitingRequest() {
    Batcher<Integer> b = batcher(1, 3, 10);
    b.submit(1);
    b.submit(2);
    b.submit(3);
    assertThat(b.drain()).containsExactly(2, 3);
    b.done(0);
    assertThat(b.freeSlots()).isEqualTo(1);
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> batcher(0, 1, 1)).hasMessage(
        "batcher: slots 0, max ops 1, max bytes 1 (expected: all >= 1)");
  }
}
