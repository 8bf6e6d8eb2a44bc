package kv.record;

import java.util.List;

/** An ordered list of values. Immutable (the list is copied on construction). */
public record ListValue(List<Value> items) implements Value {
  public ListValue {
    items = List.copyOf(items);
  }
}
