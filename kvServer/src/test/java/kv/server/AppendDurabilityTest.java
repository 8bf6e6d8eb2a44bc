package kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import kv.clock.HybridLogicalClock;
import kv.record.AppendEntry;
import kv.record.AppendKeys;
import kv.record.BoolValue;
import kv.record.DoubleValue;
import kv.record.IntValue;
import kv.record.ListValue;
import kv.record.NullValue;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;
import kv.server.durable.DurableConfig;
import kv.server.durable.DurableLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values of every kind and APPEND entries are logged, replayed and carried by snapshots. */
class AppendDurabilityTest {
  @TempDir
  Path tmp;

  private static AppendEntry element(Value v, String... path) {
    return new AppendEntry(List.of(path), v);
  }

  private Store open() throws Exception {
    Store store = new Store(new HybridLogicalClock(5));
    DurableLog log = DurableLog.open(DurableConfig.of(tmp.resolve("data")), store::replayEntry, store::snapshot);
    store.logTo(log);
    return store;
  }

  private static void write(Store store) {
    store.apply("list", 10, new ListValue(List.of(new StringValue("cat"))));
    store.applyAppend("list", 12, element(new StringValue("dog")));
    store.applyAppend("list", 11, element(new ListValue(List.of(new IntValue(1)))));
    store.apply("string", 10, new StringValue("hello"));
    store.apply("int", 10, new IntValue(-7));
    store.apply("double", 10, new DoubleValue(1.5));
    store.apply("bool", 10, BoolValue.FALSE);
    store.apply("null", 10, NullValue.INSTANCE);
    store.applyAppend("appended", 20, element(new StringValue("a"), "x", "y"));
    store.apply("record", 10, SetValue.builder().put("name", new StringValue("John")).build());
    store.applyAppend("record", 11, element(new StringValue("old"), "tags"));
    store.apply("record", 15, SetValue.builder().put("name", new StringValue("Mary")).build()); // supersedes 11
    store.applyAppend("record", 16, element(new StringValue("new"), "tags"));
    store.applyAppend("gone", 30, element(new IntValue(1)));
    store.apply("gone", 31, null);
  }

  private static void check(Store store) {
    assertThat(text(store, "list")).isEqualTo("[ \"cat\" ; [ 1 ] ; \"dog\" ]");
    assertThat(text(store, "string")).isEqualTo("\"hello\"");
    assertThat(text(store, "int")).isEqualTo("-7");
    assertThat(text(store, "double")).isEqualTo("1.5");
    assertThat(text(store, "bool")).isEqualTo("false");
    assertThat(text(store, "null")).isEqualTo("null");
    assertThat(text(store, "appended")).isEqualTo("{ \"x\" : { \"y\" : [ \"a\" ] } }");
    assertThat(text(store, "record")).isEqualTo("{ \"name\" : \"Mary\" ; \"tags\" : [ \"new\" ] }");
    assertThat(store.get("gone")).isNull();
    assertThat(store.read("list").version()).isEqualTo(12);
    assertThat(store.entry(AppendKeys.internalKey("record", 11))).isNull();
    assertThat(store.appendCount()).isEqualTo(4);
    assertThat(store.liveCount()).isEqualTo(8);
    assertThat(store.tombstoneCount()).isEqualTo(1);
  }

  private static String text(Store store, String key) {
    Value v = store.get(key);
    return v == null ? null : RecordPrinter.print(v);
  }

  @Test
  void everythingReplaysFromTheLogAndThenFromASnapshot() throws Exception {
    Store first = open();
    write(first);
    check(first);
    first.durableLog().close();

    Store replayed = open();
    check(replayed);
    replayed.durableLog().compact().get();
    replayed.durableLog().close();
    try (Stream<Path> files = Files.list(tmp.resolve("data"))) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("snapshot."));
    }

    Store fromSnapshot = open();
    check(fromSnapshot);
    fromSnapshot.applyAppend("list", 40, element(new StringValue("mouse")));
    fromSnapshot.durableLog().close();
    Store last = open();
    assertThat(text(last, "list")).isEqualTo("[ \"cat\" ; [ 1 ] ; \"dog\" ; \"mouse\" ]");
    last.durableLog().close();
  }
}
