package kv.record;

/** A boolean value. Immutable. */
public record BoolValue(boolean value) implements Value {
  public static final BoolValue TRUE = new BoolValue(true);
  public static final BoolValue FALSE = new BoolValue(false);

  public static BoolValue of(boolean value) {
    return value ? TRUE : FALSE;
  }
}
