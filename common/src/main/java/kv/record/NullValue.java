package kv.record;

/** The null value. A singleton. */
public enum NullValue implements Value {
  INSTANCE
}
