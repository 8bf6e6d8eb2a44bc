package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kv.e2e.Linearizability.Op;
import org.junit.jupiter.api.Test;

/** The checker accepts linearizable register histories and rejects the others. */
class LinearizabilityTest {
  @Test
  void sequentialAndConcurrentHistoriesThatCanBeOrderedPass() {
    assertThat(Linearizability.check(List.of(
        Op.put(1, "x", "a", 0, 10, true),
        Op.get(2, "x", "a", 20, 30),
        Op.delete(1, "x", 1, 40, 50, true),
        Op.get(2, "x", null, 60, 70),
        Op.delete(2, "x", 0, 80, 90, true)))).isEmpty();
    // a read concurrent with a write may see either value
    assertThat(Linearizability.check(List.of(
        Op.put(1, "x", "a", 0, 10, true),
        Op.put(1, "x", "b", 20, 50, true),
        Op.get(2, "x", "a", 25, 30),
        Op.get(3, "x", "b", 26, 40),
        Op.get(2, "x", "b", 55, 60)))).isEmpty();
  }

  @Test
  void aSearchTooLargeIsInconclusiveNotAPass() {
    // 20 writes of unknown outcome, each read by someone, may each have applied at any time or
    // never: 2^20 orders to rule out before the read of a value nobody wrote is known to be impossible
    List<Op> history = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      history.add(Op.put(i, "x", "v" + i, i, 0, false));
      history.add(Op.get(i, "x", "v" + i, 50, 60));
    }
    history.add(Op.get(99, "x", "never written", 100, 110));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Linearizability.check(history, 10_000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("key x: the search explored more than 10000 states (41 operations, 20 of unknown outcome);"
            + " inconclusive");
    assertThat(Linearizability.check(history.subList(0, 40))).isEmpty();
  }

  @Test
  void manyWritesOfUnknownOutcomeNobodyReadAreCheckedQuickly() {
    // a failover: hundreds of writes refused or timed out on one key, mixed with acknowledged
    // ones, as StrongModeIT records (one such history once took the search past two million states)
    Random random = new Random(7);
    List<Op> history = new ArrayList<>();
    String register = null;
    long now = 0;
    for (int i = 0; i < 1500; i++) {
      long start = now + random.nextInt(5);
      long effect = start + random.nextInt(5);
      long end = effect + random.nextInt(20);
      now = effect;
      int choice = random.nextInt(20);
      boolean unknown = random.nextInt(4) == 0;
      if (choice < 10) {
        String v = "v" + i;
        if (!unknown || random.nextBoolean()) {
          register = v; // an unknown outcome that did apply
        }
        history.add(Op.put(1, "x", v, start, end, !unknown));
      } else if (choice < 17) {
        history.add(Op.get(2, "x", register, start, end));
      } else {
        long deleted = register == null ? 0 : 1;
        if (!unknown || random.nextBoolean()) {
          register = null;
        }
        history.add(Op.delete(3, "x", deleted, start, end, !unknown));
      }
    }
    assertThat(history.stream().filter(op -> !op.known()).count()).isGreaterThan(200);
    assertThat(Linearizability.check(history)).isEmpty();
    // and a read of an acknowledged value overwritten long before is still caught among them
    String old = history.stream().filter(op -> op.known() && op.kind() == Linearizability.Kind.PUT).findFirst()
        .orElseThrow().value();
    history.add(Op.put(4, "x", "last", now + 100, now + 110, true));
    history.add(Op.get(4, "x", old, now + 120, now + 130));
    assertThat(Linearizability.check(history)).isPresent();
  }

  @Test
  void aStaleReadIsCaught() {
    // b was acknowledged before the read began, yet the read returned a: what a follower's
    // local state answers when it missed the write (the planted bug)
    assertThat(Linearizability.check(List.of(
        Op.put(1, "x", "a", 0, 10, true),
        Op.put(1, "x", "b", 20, 30, true),
        Op.get(2, "x", "a", 40, 50)))).hasValueSatisfying(m -> assertThat(m)
        .startsWith("key x is not linearizable; its 3 operations:").contains("GET -> a [40, 50]"));
  }

  @Test
  void aLostAcknowledgedWriteAndAWriteAppliedTwiceAreCaught() {
    assertThat(Linearizability.check(List.of(
        Op.put(1, "x", "a", 0, 10, true),
        Op.get(2, "x", null, 20, 30)))).isPresent();
    // a applied again after b was acknowledged and read
    assertThat(Linearizability.check(List.of(
        Op.put(1, "x", "a", 0, 10, true),
        Op.put(2, "x", "b", 20, 30, true),
        Op.get(3, "x", "b", 40, 50),
        Op.get(3, "x", "a", 60, 70)))).isPresent();
    // two reads that disagree on the order of two writes
    assertThat(Linearizability.check(List.of(
        Op.put(1, "x", "a", 0, 100, true),
        Op.put(2, "x", "b", 0, 100, true),
        Op.get(3, "x", "a", 10, 20),
        Op.get(3, "x", "b", 30, 40),
        Op.get(4, "x", "a", 50, 60)))).isPresent();
    // a delete that reported a record where there was none
    assertThat(Linearizability.check(List.of(Op.delete(1, "x", 1, 0, 10, true)))).isPresent();
  }

  @Test
  void aWriteWithUnknownOutcomeMayHaveTakenEffectOrNot() {
    assertThat(Linearizability.check(List.of(
        Op.put(1, "x", "a", 0, 10, true),
        Op.put(1, "x", "b", 20, 0, false),
        Op.get(2, "x", "b", 100, 110),
        Op.get(2, "x", "b", 120, 130)))).isEmpty();
    assertThat(Linearizability.check(List.of(
        Op.put(1, "x", "a", 0, 10, true),
        Op.put(1, "x", "b", 20, 0, false),
        Op.get(2, "x", "a", 100, 110)))).isEmpty();
    // but once seen, it cannot be undone
    assertThat(Linearizability.check(List.of(
        Op.put(1, "x", "a", 0, 10, true),
        Op.put(1, "x", "b", 20, 0, false),
        Op.get(2, "x", "b", 100, 110),
        Op.get(2, "x", "a", 120, 130)))).isPresent();
  }

  @Test
  void aLongRandomLinearizableHistoryPassesQuickly() {
    // a real register driven by simulated clients: each op takes effect at one instant inside its interval
    Random random = new Random(42);
    List<Op> history = new ArrayList<>();
    String[] register = new String[1];
    long now = 0;
    for (int i = 0; i < 2000; i++) {
      int client = random.nextInt(5);
      long start = now + random.nextInt(5);
      long effect = start + random.nextInt(5);
      long end = effect + random.nextInt(20);
      now = effect;
      switch (random.nextInt(3)) {
        case 0 -> {
          String v = "v" + i;
          register[0] = v;
          history.add(Op.put(client, "x", v, start, end, true));
        }
        case 1 -> history.add(Op.get(client, "x", register[0], start, end));
        default -> {
          long deleted = register[0] == null ? 0 : 1;
          register[0] = null;
          history.add(Op.delete(client, "x", deleted, start, end, true));
        }
      }
    }
    assertThat(Linearizability.check(history)).isEmpty();
  }

  @Test
  void onSmallRandomHistoriesTheSearchAgreesWithTryingEveryOrder() {
    // the reductions for unknown outcomes (lazy placement, shared unread values, interchangeable
    // operations, dominated states) against the definition, on histories small enough to enumerate
    Random random = new Random(11);
    int linearizable = 0;
    for (int round = 0; round < 3000; round++) {
      List<Op> history = new ArrayList<>();
      int n = 2 + random.nextInt(6);
      for (int i = 0; i < n; i++) {
        long start = random.nextInt(20);
        long end = start + 1 + random.nextInt(10);
        boolean known = random.nextInt(3) > 0;
        String value = random.nextInt(4) == 0 ? null : "v" + random.nextInt(3);
        history.add(switch (random.nextInt(3)) {
          case 0 -> Op.put(i, "x", value == null ? "v9" : value, start, end, known);
          case 1 -> Op.get(i, "x", value, start, end);
          default -> Op.delete(i, "x", random.nextInt(2), start, end, known);
        });
      }
      boolean expected = everyOrder(new ArrayList<>(history), null);
      assertThat(Linearizability.check(history).isEmpty()).as("%s", history).isEqualTo(expected);
      linearizable += expected ? 1 : 0;
    }
    assertThat(linearizable).isBetween(300, 2700); // both answers well represented
  }

  /* The definition: some operation that no remaining one precedes in real time goes first; an unknown outcome may also never apply. */
  private static boolean everyOrder(List<Op> left, String register) {
    if (left.stream().allMatch(op -> !op.known())) {
      return true;
    }
    for (Op op : left) {
      boolean minimal = left.stream().noneMatch(o -> o.known() && o.end() < op.start());
      if (!minimal) {
        continue;
      }
      String after = switch (op.kind()) {
        case PUT -> op.value();
        case GET -> java.util.Objects.equals(register, op.value()) ? register : "(refused)";
        case DELETE -> !op.known() || op.deleted() == (register == null ? 0 : 1) ? null : "(refused)";
      };
      if ("(refused)".equals(after)) {
        continue;
      }
      List<Op> rest = new ArrayList<>(left);
      rest.remove(op);
      if (everyOrder(rest, after)) {
        return true;
      }
    }
    return false;
  }
}
