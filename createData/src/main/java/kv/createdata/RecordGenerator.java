package kv.createdata;

import java.util.List;
import java.util.Random;
import kv.record.RecordPrinter;

/**
 * Generates random records straight into text, one at a time, in the canonical form of
 * {@link RecordPrinter} (the tests check that every line is a fixed point of parse and print).
 * Memory does not depend on how many records are generated. Not thread-safe: one generator per
 * thread, driven by one seeded {@link Random}, so the same seed gives the same text.
 */
final class RecordGenerator {
  /** Generated ints are 0..INT_BOUND-1. */
  static final int INT_BOUND = 1000;
  /** Generated floats are k/100 for k in 0..HUNDREDTHS_BOUND-1, i.e. 0.0..999.99. */
  static final int HUNDREDTHS_BOUND = 100_000;
  static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /*
   * Shape of a record: every set draws 0..m distinct keys (a partial Fisher-Yates shuffle of the
   * key indexes, one scratch permutation per nesting level so a nested set cannot disturb its
   * parent's draw). While depth remains, a key becomes a nested set with probability
   * 1/max(4, m). A set then has on average at most m/2 * 1/max(4, m) <= 1/2 nested sets, so the
   * nesting is a subcritical branching process: a record holds at most two sets on average
   * whatever -m and -d are, and deep records stay rare but possible.
   */
  private final KeySpec[] keys;
  private final String[] quotedNames;
  private final int maxDepth;
  private final int maxLength;
  private final int maxKeys;
  private final int nestOdds;
  private final String prefix;
  private final Random random;
  private final int[][] permutations;

  RecordGenerator(List<KeySpec> keys, int maxDepth, int maxLength, int maxKeys, String prefix, Random random) {
    if (maxDepth < 0 || maxLength < 1 || maxKeys < 0 || maxKeys > keys.size()) {
      throw new IllegalArgumentException("depth " + maxDepth + ", length " + maxLength + ", keys " + maxKeys
          + " of " + keys.size() + " (expected: depth >= 0, length >= 1, 0 <= keys <= names)");
    }
    this.keys = keys.toArray(new KeySpec[0]);
    this.quotedNames = new String[this.keys.length];
    for (int i = 0; i < this.keys.length; i++) {
      StringBuilder quoted = new StringBuilder();
      RecordPrinter.appendString(quoted, this.keys[i].name());
      quotedNames[i] = quoted.toString();
    }
    this.maxDepth = maxDepth;
    this.maxLength = maxLength;
    this.maxKeys = maxKeys;
    this.nestOdds = Math.max(4, maxKeys);
    this.prefix = prefix;
    this.random = random;
    this.permutations = new int[maxDepth + 1][];
  }

  /** Appends record number {@code index} ({@code <prefix><index> : { ... }}), without a newline. */
  void appendRecord(long index, StringBuilder out) {
    out.append(RecordPrinter.printKey(prefix + index)).append(" : ");
    appendSet(out, 0);
  }

  private void appendSet(StringBuilder out, int level) {
    int count = random.nextInt(maxKeys + 1);
    if (count == 0) {
      out.append("{}");
      return;
    }
    int[] perm = permutation(level);
    out.append("{ ");
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(perm.length - i);
      int key = perm[j];
      perm[j] = perm[i];
      perm[i] = key;
      if (i > 0) {
        out.append(" ; ");
      }
      out.append(quotedNames[key]).append(" : ");
      if (level < maxDepth && random.nextInt(nestOdds) == 0) {
        appendSet(out, level + 1);
      } else {
        appendScalar(out, keys[key].type());
      }
    }
    out.append(" }");
  }

  private void appendScalar(StringBuilder out, KeyType type) {
    if (type == KeyType.INT) {
      out.append(random.nextInt(INT_BOUND));
    } else if (type == KeyType.FLOAT) {
      // The same text RecordPrinter prints for this double.
      out.append(Double.toString(random.nextInt(HUNDREDTHS_BOUND) / 100.0));
    } else {
      int length = 1 + random.nextInt(maxLength);
      out.append('"');
      for (int i = 0; i < length; i++) {
        out.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
      }
      out.append('"');
    }
  }

  private int[] permutation(int level) {
    int[] perm = permutations[level];
    if (perm == null) {
      perm = new int[keys.length];
      for (int i = 0; i < perm.length; i++) {
        perm[i] = i;
      }
      permutations[level] = perm;
    }
    return perm;
  }
}
