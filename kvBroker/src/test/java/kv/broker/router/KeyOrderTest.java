package kv.broker.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import kv.broker.router.KeyOrder.Mode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The per-connection order of commands on keys, completions driven by hand. */
class KeyOrderTest {
  private final KeyOrder order = new KeyOrder();
  private final List<String> started = new ArrayList<>();
  private final List<KeyOrder.Ticket> tickets = new ArrayList<>();

  private KeyOrder.Ticket admit(String name, Mode mode, String... keys) {
    KeyOrder.Ticket ticket = order.admit(List.of(keys), mode, t -> started.add(name));
    tickets.add(ticket);
    return ticket;
  }

  @Test
  void commandsOnDistinctKeysStartAtOnce() {
    admit("put a", Mode.WRITE, "a");
    admit("put b", Mode.WRITE, "b");
    admit("get c", Mode.READ, "c");
    assertThat(started).containsExactly("put a", "put b", "get c");
    assertThat(order.held()).isZero();
  }

  @Test
  void aWriteWaitsForTheEarlierCommandsOnItsKeyAndReadsRunTogether() {
    KeyOrder.Ticket del = admit("del k", Mode.WRITE, "k");
    KeyOrder.Ticket put = admit("put k", Mode.WRITE, "k");
    admit("get k", Mode.READ, "k");
    admit("exists k", Mode.READ, "k");
    admit("put other", Mode.WRITE, "other");
    assertThat(started).containsExactly("del k", "put other");
    order.done(del);
    assertThat(started).containsExactly("del k", "put other", "put k");
    order.done(put);
    assertThat(started).containsExactly("del k", "put other", "put k", "get k", "exists k");
  }

  @Test
  void aWriteAfterReadsWaitsForAllOfThem() {
    KeyOrder.Ticket r1 = admit("get k", Mode.READ, "k");
    KeyOrder.Ticket r2 = admit("query k", Mode.READ, "k");
    admit("put k", Mode.WRITE, "k");
    order.done(r2);
    assertThat(started).containsExactly("get k", "query k");
    order.done(r1);
    assertThat(started).containsExactly("get k", "query k", "put k");
  }

  @Test
  void aReadBehindAHeldWriteWaitsToo() {
    KeyOrder.Ticket r1 = admit("get k", Mode.READ, "k");
    admit("put k", Mode.WRITE, "k");
    admit("get k again", Mode.READ, "k");
    assertThat(started).containsExactly("get k");
    order.done(r1);
    assertThat(started).containsExactly("get k", "put k");
  }

  @Test
  void aCommandOnSeveralKeysWaitsForEachAndHoldsEachBack() {
    KeyOrder.Ticket a = admit("put a", Mode.WRITE, "a");
    KeyOrder.Ticket b = admit("put b", Mode.WRITE, "b");
    KeyOrder.Ticket del = admit("del a b", Mode.WRITE, "a", "b");
    admit("get b", Mode.READ, "b");
    order.done(a);
    assertThat(started).containsExactly("put a", "put b");
    order.done(b);
    assertThat(started).containsExactly("put a", "put b", "del a b");
    order.done(del);
    assertThat(started).containsExactly("put a", "put b", "del a b", "get b");
  }

  @Test
  void aWalkOfTheKeySpaceWaitsForEverythingBeforeItAndHoldsEverythingAfterIt() {
    KeyOrder.Ticket put = admit("put a", Mode.WRITE, "a");
    KeyOrder.Ticket scan = admit("scan", Mode.ALL);
    admit("get z", Mode.READ, "z");
    assertThat(started).containsExactly("put a");
    order.done(put);
    assertThat(started).containsExactly("put a", "scan");
    order.done(scan);
    assertThat(started).containsExactly("put a", "scan", "get z");
  }

  @Test
  void anAbandonedHeldCommandNeverStartsAndTheNextOneDoes() {
    KeyOrder.Ticket put = admit("put k", Mode.WRITE, "k");
    KeyOrder.Ticket lost = admit("del k", Mode.WRITE, "k");
    admit("get k", Mode.READ, "k");
    order.abandon(lost);
    assertThat(started).containsExactly("put k");
    order.done(put);
    assertThat(started).containsExactly("put k", "get k");
    order.done(lost); // a late completion of something that never started changes nothing
    assertThat(lost.started()).isFalse();
  }

  @Test
  void anAbandonedRunningCommandFreesItsKeyAndItsLateCompletionIsIgnored() {
    KeyOrder.Ticket lost = admit("put k", Mode.WRITE, "k");
    KeyOrder.Ticket next = admit("put k again", Mode.WRITE, "k");
    order.abandon(lost);
    assertThat(started).containsExactly("put k", "put k again");
    order.done(lost);
    KeyOrder.Ticket third = admit("get k", Mode.READ, "k");
    assertThat(third.started()).isFalse();
    order.done(next);
    assertThat(third.started()).isTrue();
    order.done(third);
    assertThat(order.busyKeys()).isZero();
  }

  @Test
  void aCommandThatCompletesAsItStartsLetsTheNextOnesStart() {
    KeyOrder.Ticket first = admit("put k", Mode.WRITE, "k");
    List<KeyOrder.Ticket> immediate = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String name = "put k " + i;
      // an engine that answers from memory: done() from inside the start
      immediate.add(order.admit(List.of("k"), Mode.WRITE, t -> {
        started.add(name);
        order.done(t);
      }));
    }
    admit("get k", Mode.READ, "k");
    order.done(first);
    assertThat(started).containsExactly("put k", "put k 0", "put k 1", "put k 2", "get k");
    assertThat(order.held()).isZero();
  }

  /**
   * Random pipelines of reads, writes and walks over a few keys, completed in random order: a
   * command never starts before an earlier conflicting one has completed, and every command
   * starts once all the earlier ones complete.
   */
  @Property(tries = 300)
  void conflictingCommandsNeverOverlapAndEveryCommandRuns(@ForAll @IntRange(min = 1, max = 40) int n,
      @ForAll long seed) {
    Random random = new Random(seed);
    KeyOrder order = new KeyOrder();
    List<Set<String>> keys = new ArrayList<>();
    List<Mode> modes = new ArrayList<>();
    List<KeyOrder.Ticket> all = new ArrayList<>();
    Set<Integer> running = new HashSet<>();
    Set<Integer> done = new HashSet<>();
    List<Integer> startOrder = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Mode mode = random.nextInt(10) == 0 ? Mode.ALL : random.nextBoolean() ? Mode.READ : Mode.WRITE;
      List<String> ks = new ArrayList<>();
      if (mode != Mode.ALL) {
        int count = 1 + random.nextInt(2);
        for (int j = 0; j < count; j++) {
          ks.add("k" + random.nextInt(4));
        }
      }
      keys.add(new HashSet<>(ks));
      modes.add(mode);
      int id = i;
      all.add(order.admit(ks, mode, t -> {
        for (int earlier = 0; earlier < id; earlier++) {
          if (conflict(modes.get(earlier), keys.get(earlier), modes.get(id), keys.get(id))) {
            assertThat(done).as("command %d starts after the conflicting earlier %d completed", id, earlier)
                .contains(earlier);
          }
        }
        running.add(id);
        startOrder.add(id);
      }));
      // now and then complete a random running command
      while (!running.isEmpty() && random.nextInt(3) == 0) {
        complete(order, all, running, done, random);
      }
    }
    while (!running.isEmpty()) {
      complete(order, all, running, done, random);
    }
    assertThat(done).hasSize(n);
    assertThat(order.held()).isZero();
    assertThat(order.busyKeys()).isZero();
  }

  private static void complete(KeyOrder order, List<KeyOrder.Ticket> all, Set<Integer> running, Set<Integer> done,
      Random random) {
    List<Integer> ids = new ArrayList<>(running);
    int id = ids.get(random.nextInt(ids.size()));
    running.remove(id);
    done.add(id);
    order.done(all.get(id));
  }

  private static boolean conflict(Mode a, Set<String> ka, Mode b, Set<String> kb) {
    if (a == Mode.ALL || b == Mode.ALL) {
      return true;
    }
    if (a == Mode.READ && b == Mode.READ) {
      return false;
    }
    for (String k : ka) {
      if (kb.contains(k)) {
        return true;
      }
    }
    return false;
  }
}
