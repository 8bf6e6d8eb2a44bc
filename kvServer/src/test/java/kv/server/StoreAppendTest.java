package kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kv.clock.HybridLogicalClock;
import kv.record.AppendEntry;
import kv.record.AppendKeys;
import kv.record.IntValue;
import kv.record.ListValue;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;
import org.junit.jupiter.api.Test;

/** APPEND entries in the store: merged at read in version order, superseded by PUT and DELETE. */
class StoreAppendTest {
  private final Store store = new Store(new HybridLogicalClock(3));

  private static AppendEntry element(String s) {
    return new AppendEntry(List.of(), new StringValue(s));
  }

  private static ListValue list(String... items) {
    List<Value> values = new ArrayList<>();
    for (String s : items) {
      values.add(new StringValue(s));
    }
    return new ListValue(values);
  }

  private String text(String key) {
    Value v = store.get(key);
    return v == null ? null : RecordPrinter.print(v);
  }

  @Test
  void appendsMergeInVersionOrderWhateverOrderTheyArrive() {
    store.apply("pets", 10, list("cat"));
    assertThat(store.applyAppend("pets", 30, element("c"))).isTrue();
    assertThat(store.applyAppend("pets", 20, element("b"))).isTrue();
    assertThat(store.applyAppend("pets", 20, element("b"))).as("each is written once: a replay is a no-op").isFalse();
    assertThat(text("pets")).isEqualTo("[ \"cat\" ; \"b\" ; \"c\" ]");
    assertThat(store.read("pets").version()).as("the newest of base and appends").isEqualTo(30);
    assertThat(store.entry("pets")).isEqualTo(new Entry(10, list("cat"), 2, 30));
    assertThat(store.entry(AppendKeys.internalKey("pets", 20)).value()).isEqualTo(element("b").toSet());
    assertThat(store.liveCount()).isEqualTo(1);
    assertThat(store.appendCount()).isEqualTo(2);
  }

  @Test
  void aPutOrDeleteSupersedesOlderAppendsAtOnceAndKeepsNewerOnes() {
    store.apply("k", 10, list());
    store.applyAppend("k", 11, element("a"));
    store.applyAppend("k", 13, element("c"));
    store.apply("k", 12, list("x"));
    assertThat(text("k")).as("the PUT at 12 replaced the list and the append at 11; 13 is newer").isEqualTo(
        "[ \"x\" ; \"c\" ]");
    assertThat(store.entry(AppendKeys.internalKey("k", 11))).as("dropped on the write").isNull();
    assertThat(store.appendCount()).isEqualTo(1);
    assertThat(store.applyAppend("k", 11, element("a"))).as("a late copy of a superseded append").isFalse();
    assertThat(store.storedVersion(AppendKeys.internalKey("k", 11))).as("covered by the PUT").isEqualTo(12);
    assertThat(store.storedVersion(AppendKeys.internalKey("k", 13))).isEqualTo(13);
    assertThat(store.storedVersion(AppendKeys.internalKey("k", 99))).isEqualTo(-1);
    assertThat(store.storedVersion("k")).isEqualTo(12);

    store.apply("k", 20, null);
    assertThat(store.get("k")).isNull();
    assertThat(store.exists("k")).isFalse();
    assertThat(store.appendCount()).isZero();
    assertThat(store.tombstoneCount()).isEqualTo(1);
    store.applyAppend("k", 21, element("new"));
    assertThat(text("k")).as("an append after the delete starts a new list").isEqualTo("[ \"new\" ]");
    assertThat(store.liveCount()).isEqualTo(1);
    assertThat(store.tombstoneCount()).as("the tombstone has a live append over it").isZero();
  }

  @Test
  void aKeyWithOnlyAppendsExistsAndHasNoBaseVersion() {
    store.applyAppend("fresh", 5, element("a"));
    assertThat(text("fresh")).isEqualTo("[ \"a\" ]");
    assertThat(store.exists("fresh")).isTrue();
    assertThat(store.entry("fresh").hasBase()).isFalse();
    assertThat(store.storedVersion("fresh")).as("VVERSIONS: no base was written").isEqualTo(-1);
    assertThat(store.stored("fresh")).extracting(Map.Entry::getKey)
        .containsExactly(AppendKeys.internalKey("fresh", 5));
    List<String> snapshot = new ArrayList<>();
    store.snapshot((key, version, value) -> snapshot.add(key));
    assertThat(snapshot).as("the placeholder is not stored, its append is").containsExactly(
        AppendKeys.internalKey("fresh", 5));
  }

  @Test
  void aPlainAppendUsesTheServersClockAndAPlainPutSupersedesIt() {
    store.put("p", SetValue.builder().put("name", new StringValue("John")).build());
    long v = store.append("p", List.of("tags"), new StringValue("red"));
    assertThat(text("p")).isEqualTo("{ \"name\" : \"John\" ; \"tags\" : [ \"red\" ] }");
    assertThat(store.read("p").version()).isEqualTo(v);
    store.put("p", new IntValue(1));
    assertThat(text("p")).isEqualTo("1");
    assertThat(store.appendCount()).isZero();
    assertThat(store.delete("p")).isTrue();
    assertThat(store.delete("p")).isFalse();
  }

  @Test
  void purgingATombstoneKeepsTheAppendsNewerThanIt() {
    store.apply("k", 10, null);
    store.applyAppend("k", 12, element("a"));
    assertThat(store.purgeTombstone("k", 10)).isTrue();
    assertThat(text("k")).isEqualTo("[ \"a\" ]");
    assertThat(store.entry("k").hasBase()).isFalse();
    store.apply("j", 10, null);
    assertThat(store.purgeTombstone("j", 10)).isTrue();
    assertThat(store.entry("j")).isNull();
    assertThat(store.tombstoneCount()).isZero();
    assertThat(store.liveCount()).isEqualTo(1);
  }

  @Test
  void userKeyWalksLeaveOutTheNamesOfAppends() {
    store.apply("a", 1, list());
    for (int v = 2; v < 50; v++) {
      store.applyAppend("a", v, element("x" + v));
    }
    store.applyAppend("ab", 3, element("y"));
    store.apply("a\u0001", 1, list()); // sorts after a's appends, before "ab"
    List<String> keys = new ArrayList<>();
    for (Iterator<Map.Entry<String, Entry>> it = store.userKeys("", null); it.hasNext(); ) {
      keys.add(it.next().getKey());
    }
    assertThat(keys).containsExactly("a", "a\u0001", "ab");
    List<String> after = new ArrayList<>();
    store.userKeys("a", "a").forEachRemaining(e -> after.add(e.getKey()));
    assertThat(after).containsExactly("a\u0001", "ab");
    List<String> raw = new ArrayList<>();
    store.scan("", null).forEachRemaining(e -> raw.add(e.getKey()));
    assertThat(raw).hasSize(3 + 48 + 1).startsWith("a", AppendKeys.internalKey("a", 2));
  }

  @Test
  void aBaseWriteUnderAnAppendsNameIsABug() {
    assertThatThrownBy(() -> store.apply(AppendKeys.internalKey("k", 1), 1, list()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
