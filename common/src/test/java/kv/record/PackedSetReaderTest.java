package kv.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A packed set from outside is read back equal to the set that was packed, and any other bytes
 * (changed, cut short, crafted) are either refused with a RecordFormatException or are exactly
 * the canonical packing of what they decode to: never another exception, never a set that packs
 * differently.
 */
class PackedSetReaderTest {

  @Provide
  Arbitrary<SetValue> sets() {
    return RecordArbitraries.sets(3);
  }

  @Property(tries = 500)
  void whatIsPackedReadsBackAsTheSameSet(@ForAll("sets") SetValue set) throws RecordFormatException {
    byte[] bytes = set.toPacked();
    SetValue read = PackedSetReader.read(bytes, Limits.DEFAULT);
    assertThat(read).isEqualTo(set);
    assertThat(read.toPacked()).isEqualTo(bytes);
    assertThat(RecordPrinter.print(read)).isEqualTo(RecordPrinter.print(set));
  }

  @Property(tries = 1000)
  void aChangedByteIsRefusedOrIsThePackingOfWhatItHolds(@ForAll("sets") SetValue set, @ForAll int where,
      @ForAll byte with) {
    byte[] bytes = set.toPacked();
    bytes[Math.floorMod(where, bytes.length)] = with;
    assertRefusedOrCanonical(bytes);
  }

  @Property(tries = 300)
  void everyShorterPrefixIsRefused(@ForAll("sets") SetValue set) {
    byte[] bytes = set.toPacked();
    for (int length = 0; length < bytes.length; length++) {
      byte[] prefix = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> PackedSetReader.read(prefix, Limits.DEFAULT)).as("the first %d of %d bytes", length,
          bytes.length).isInstanceOf(RecordFormatException.class).hasMessageStartingWith("packed set");
    }
  }

  @Property(tries = 300)
  void trailingBytesAreRefused(@ForAll("sets") SetValue set, @ForAll byte extra) {
    byte[] bytes = Arrays.copyOf(set.toPacked(), set.toPacked().length + 1);
    bytes[bytes.length - 1] = extra;
    assertThatThrownBy(() -> PackedSetReader.read(bytes, Limits.DEFAULT)).isInstanceOf(RecordFormatException.class);
  }

  @Test
  void aRecordAsTheParserReadsIt() throws RecordFormatException {
    SetValue set = new RecordParser().parseSet(
        "{ \"street\" : \"C\" ; \"email\" : { \"score\" : 771.82 ; \"name\" : \"6yO0\" } ; \"tags\" : [ 1, -2.5e300, null, true ] }");
    assertThat(RecordPrinter.print(PackedSetReader.read(set.toPacked(), Limits.DEFAULT)))
        .isEqualTo(RecordPrinter.print(set));
  }

  @Test
  void aDuplicateKeyIsRefused() {
    byte[] bytes = SetValue.builder().put("a", new IntValue(1)).put("b", new IntValue(2)).build().toPacked();
    int b = lastIndexOf(bytes, (byte) 'b');
    bytes[b] = 'a';
    assertThatThrownBy(() -> PackedSetReader.read(bytes, Limits.DEFAULT)).isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("duplicate key: \"a\"");
  }

  @Test
  void aDoubleThatIsNotFiniteIsRefused() {
    byte[] bytes = SetValue.builder().put("x", new DoubleValue(Double.NaN)).build().toPacked();
    assertThatThrownBy(() -> PackedSetReader.read(bytes, Limits.DEFAULT)).isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("double: NaN (expected: a finite number");
  }

  @Test
  void aValueInAnotherThanItsCanonicalFormIsRefused() {
    // 1.5 packs as DECIMAL (15 / 10); the same number as a raw DOUBLE is not how this code packs it.
    byte[] decimal = SetValue.builder().put("x", new DoubleValue(1.5)).build().toPacked();
    int tag = lastIndexOf(decimal, (byte) 'x') + 1; // the key, then the value's tag
    assertThat(decimal[tag]).isEqualTo((byte) SetLayout.DECIMAL);
    byte[] raw = new byte[tag + 9];
    System.arraycopy(decimal, 0, raw, 0, tag);
    raw[tag] = SetLayout.DOUBLE;
    long bits = Double.doubleToRawLongBits(1.5);
    for (int i = 0; i < 8; i++) {
      raw[tag + 1 + i] = (byte) (bits >>> (56 - 8 * i));
    }
    assertThatThrownBy(() -> PackedSetReader.read(raw, Limits.DEFAULT)).isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("canonical");
  }

  @Test
  void everyOtherChoiceThanThePackersIsRefused() {
    // {"k": 5}: header (1 pair, width 1), root ref 1 (leaf at 0), key "k", INT 5 zig-zagged
    byte[] canonical = SetValue.builder().put("k", new IntValue(5)).build().toPacked();
    assertThat(canonical).containsExactly(4, 1, 2, 'k', SetLayout.INT, 10);
    assertRefused(new byte[] {4, 1, 2, 'k', SetLayout.INT, (byte) 0x8A, 0}, "a varint of 2 bytes");
    assertRefused(new byte[] {5, 0, 1, 2, 'k', SetLayout.INT, 10}, "trie fields 2 bytes wide (expected: 1");
    assertRefused(new byte[] {4, 3, 2, 'k', SetLayout.INT, 10}, "trie: not the crit-bit trie");
    assertRefused(new byte[] {4, 1, 3, 0, 'k', SetLayout.INT, 10}, "key of 1 chars packed two bytes each");
    assertRefused(new byte[] {4, 1, 2, 'k', SetLayout.STRING, 3, 0, 'v'}, "string of 1 chars packed two bytes each");
    assertRefused(new byte[] {4, 1, 2, 'k', SetLayout.SET, 1, 0}, "an empty set tagged SET");
    // 1.5 as 150 / 10^2 instead of 15 / 10^1
    assertRefused(new byte[] {4, 1, 2, 'k', SetLayout.DECIMAL, (byte) (((300 << 3 | 2) & 0x7F) | 0x80),
        (byte) ((300 << 3 | 2) >>> 7)}, "decimal 1.5: not its canonical packing");
  }

  private static void assertRefused(byte[] bytes, String problem) {
    assertThatThrownBy(() -> PackedSetReader.read(bytes, Limits.DEFAULT)).isInstanceOf(RecordFormatException.class)
        .hasMessageStartingWith("packed set").hasMessageContaining(problem);
  }

  @Test
  void theParsersLimitsHold() throws RecordFormatException {
    SetValue deep = new RecordParser().parseSet("{ \"a\" : { \"b\" : { \"c\" : [ 1 ] } } }");
    assertThat(PackedSetReader.read(deep.toPacked(), new Limits(4, 1024))).isEqualTo(deep);
    assertThatThrownBy(() -> PackedSetReader.read(deep.toPacked(), new Limits(3, 1024)))
        .isInstanceOf(RecordFormatException.class).hasMessageContaining("nesting: more than 3 levels");
    assertThatThrownBy(() -> PackedSetReader.read(deep.toPacked(), new Limits(4, 8)))
        .isInstanceOf(RecordFormatException.class).hasMessageContaining("(expected: <= 8)");
  }

  @Test
  void theEmptySetIsItsOneByte() throws RecordFormatException {
    assertThat(PackedSetReader.read(new byte[] {0}, Limits.DEFAULT)).isEqualTo(SetValue.empty());
    assertThatThrownBy(() -> PackedSetReader.read(new byte[] {1}, Limits.DEFAULT))
        .isInstanceOf(RecordFormatException.class);
    assertThatThrownBy(() -> PackedSetReader.read(new byte[] {0, 0}, Limits.DEFAULT))
        .isInstanceOf(RecordFormatException.class);
  }

  private static void assertRefusedOrCanonical(byte[] bytes) {
    SetValue read;
    try {
      read = PackedSetReader.read(bytes, Limits.DEFAULT);
    } catch (RecordFormatException e) {
      assertThat(e).hasMessageStartingWith("packed set");
      return;
    }
    // what the parser makes of the set, packed, must be these very bytes (the reader keeps them as they are)
    try {
      assertThat(new RecordParser().parseSet(RecordPrinter.print(read)).toPacked()).isEqualTo(bytes);
    } catch (RecordFormatException e) {
      throw new AssertionError("an accepted set prints as text the parser refuses", e);
    }
  }

  private static int lastIndexOf(byte[] bytes, byte b) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new AssertionError("no byte " + b);
  }
}
