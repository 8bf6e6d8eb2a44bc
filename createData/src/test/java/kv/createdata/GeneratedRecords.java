package kv.createdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import kv.cli.ProgressBar;
import kv.record.DoubleValue;
import kv.record.IntValue;
import kv.record.Record;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;

/** Test helpers: generates datasets in memory and checks records against the generator's rules. */
final class GeneratedRecords {
  static final List<KeySpec> KEYS = List.of(
      new KeySpec("name", KeyType.STRING), new KeySpec("age", KeyType.INT),
      new KeySpec("height", KeyType.FLOAT), new KeySpec("street", KeyType.STRING),
      new KeySpec("level", KeyType.INT), new KeySpec("a key with \"quotes\" and . dots", KeyType.STRING),
      new KeySpec("zip", KeyType.INT), new KeySpec("weight", KeyType.FLOAT));

  private GeneratedRecords() {}

  static String generate(List<KeySpec> keys, long n, int d, int l, int m, String prefix, long seed) throws Exception {
    RecordGenerator generator = new RecordGenerator(keys, d, l, m, prefix, new Random(seed));
    StringWriter out = new StringWriter();
    DatasetWriter.write(generator, n, out, new ProgressBar(null, () -> 0, false));
    return out.toString();
  }

  /** Parses every line and checks it against the rules; returns the deepest nesting seen. */
  static int checkDataset(String text, long n, int d, int l, int m, String prefix, List<KeySpec> keys)
      throws Exception {
    assertThat(text).endsWith("\n");
    String[] lines = text.split("\n", -1);
    assertThat(lines).hasSize((int) n + 1);
    Map<String, KeyType> types = new HashMap<>();
    keys.forEach(k -> types.put(k.name(), k.type()));
    RecordParser parser = new RecordParser();
    int deepest = 0;
    for (int i = 0; i < n; i++) {
      Record record = parser.parseRecord(lines[i]);
      assertThat(record.key()).isEqualTo(prefix + (i + 1));
      // Canonical: printing what was parsed gives back the very same line.
      assertThat(RecordPrinter.print(record)).isEqualTo(lines[i]);
      deepest = Math.max(deepest, checkSet(record.value(), 0, d, l, m, types));
    }
    return deepest;
  }

  private static int checkSet(SetValue set, int level, int d, int l, int m, Map<String, KeyType> types) {
    assertThat(level).isLessThanOrEqualTo(d);
    assertThat(set.size()).isLessThanOrEqualTo(m);
    assertThat(set.keys()).doesNotHaveDuplicates();
    int deepest = level;
    for (Map.Entry<String, Value> e : set.entries()) {
      KeyType type = types.get(e.getKey());
      assertThat(type).as("key %s is in the key file", e.getKey()).isNotNull();
      Value v = e.getValue();
      if (v instanceof SetValue nested) {
        deepest = Math.max(deepest, checkSet(nested, level + 1, d, l, m, types));
      } else if (type == KeyType.STRING) {
        assertThat(v).isInstanceOf(StringValue.class);
        assertThat(((StringValue) v).value()).matches("[A-Za-z0-9]{1," + l + "}");
      } else if (type == KeyType.INT) {
        assertThat(v).isInstanceOf(IntValue.class);
        assertThat(((IntValue) v).value()).isBetween(0L, (long) RecordGenerator.INT_BOUND - 1);
      } else {
        assertThat(v).isInstanceOf(DoubleValue.class);
        double x = ((DoubleValue) v).value();
        long hundredths = Math.round(x * 100);
        assertThat(hundredths).isBetween(0L, (long) RecordGenerator.HUNDREDTHS_BOUND - 1);
        assertThat(hundredths / 100.0).isEqualTo(x);
      }
    }
    return deepest;
  }
}
