package kv.record;

import java.util.Objects;

/** A string value. Immutable. */
public record StringValue(String value) implements Value {
  public StringValue {
    Objects.requireNonNull(value, "value");
  }
}
