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
  void aChangedByteIsRefusedOrReadsAsExactlyThoseBytes(@ForAll("sets") SetValue set, @ForAll int where,
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
    assertThat(read.toPacked()).isEqualTo(bytes);
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
