package kv.record;

/**
 * A version and a {@link SetValue} packed into one byte array, for a store that holds millions of
 * records: no SetValue and no holder object per record, read back as a view. Stateless and
 * thread-safe; a packed array must never be written after {@link #pack}.
 */
public final class VersionedSets {
  /*
   * Layout: the version as 8 bytes big-endian, then the set's packed bytes (SetLayout) as they
   * are. A stored record thus costs one array header (16 bytes with compressed oops) instead of
   * a holder (24), a SetValue (24) and an array header. Reading builds a SetValue view over the
   * same array, as a nested set is a view of its enclosing set's array; the view is short-lived.
   */
  private static final int VERSION_BYTES = 8;

  private VersionedSets() {}

  /** One new array holding {@code version} and the packed bytes of {@code set}. */
  public static byte[] pack(long version, SetValue set) {
    byte[] packed = new byte[VERSION_BYTES + set.packedLength()];
    for (int i = 0; i < VERSION_BYTES; i++) {
      packed[i] = (byte) (version >>> (56 - 8 * i));
    }
    set.copyPacked(packed, VERSION_BYTES);
    return packed;
  }

  /** The version of an array made by {@link #pack}. */
  public static long version(byte[] packed) {
    long version = 0;
    for (int i = 0; i < VERSION_BYTES; i++) {
      version = version << 8 | (packed[i] & 0xFF);
    }
    return version;
  }

  /** The set of an array made by {@link #pack}: a view of it, equal to the set packed. */
  public static SetValue set(byte[] packed) {
    return new SetValue(packed, VERSION_BYTES, packed.length);
  }
}
