package kv.record;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The value edits of JSON.SET and JSON.DEL below the root, as RedisJSON makes them: each returns
 * the whole new value (values are immutable) or null when nothing changes. Stateless.
 */
public final class JsonEdits {
  /** JSON.SET's NX (only a new member) and XX (only an existing one). */
  public enum Condition { ANY, NX, XX }

  private JsonEdits() {}

  /**
   * {@code root} with the value at {@code path} (not the root) set to {@code value}: an existing
   * member or element is replaced, a missing member of an existing object is added after the
   * others. Null when the parent does not exist or is not a container of the right kind, or the
   * condition is not met.
   *
   * @throws IllegalArgumentException when the last step is an index outside its array
   */
  public static Value set(Value root, JsonPath path, Value value, Condition condition) {
    JsonPath.Step last = path.steps().get(path.steps().size() - 1);
    return edit(root, path.steps(), 0, parent -> {
      if (last instanceof JsonPath.Member m) {
        if (!(parent instanceof SetValue set)) {
          return null;
        }
        boolean exists = set.containsKey(m.name());
        if ((condition == Condition.NX && exists) || (condition == Condition.XX && !exists)) {
          return null;
        }
        return set.with(m.name(), value);
      }
      if (!(parent instanceof ListValue list)) {
        return null;
      }
      int at = JsonPath.index(list, ((JsonPath.Index) last).index());
      if (at < 0) {
        throw new IllegalArgumentException("array index out of range: " + ((JsonPath.Index) last).index()
            + " in an array of " + list.items().size() + " (expected: -" + list.items().size() + " to "
            + (list.items().size() - 1) + ")");
      }
      if (condition == Condition.NX) {
        return null;
      }
      List<Value> items = new ArrayList<>(list.items());
      items.set(at, value);
      return new ListValue(items);
    });
  }

  /** {@code root} without the member or element at {@code path} (not the root); null when there is none. */
  public static Value delete(Value root, JsonPath path) {
    JsonPath.Step last = path.steps().get(path.steps().size() - 1);
    return edit(root, path.steps(), 0, parent -> {
      if (last instanceof JsonPath.Member m) {
        return parent instanceof SetValue set && set.containsKey(m.name()) ? set.without(m.name()) : null;
      }
      if (!(parent instanceof ListValue list)) {
        return null;
      }
      int at = JsonPath.index(list, ((JsonPath.Index) last).index());
      if (at < 0) {
        return null;
      }
      List<Value> items = new ArrayList<>(list.items());
      items.remove(at);
      return new ListValue(items);
    });
  }

  /* Walks to the parent of the last step, lets atParent change it, and rebuilds the way up. */
  private static Value edit(Value node, List<JsonPath.Step> steps, int i, UnaryOperator<Value> atParent) {
    if (i == steps.size() - 1) {
      return atParent.apply(node);
    }
    JsonPath.Step step = steps.get(i);
    Value child = JsonPath.child(node, step);
    if (child == null) {
      return null;
    }
    Value changed = edit(child, steps, i + 1, atParent);
    if (changed == null) {
      return null;
    }
    if (step instanceof JsonPath.Member m) {
      return ((SetValue) node).with(m.name(), changed);
    }
    ListValue list = (ListValue) node;
    List<Value> items = new ArrayList<>(list.items());
    items.set(JsonPath.index(list, ((JsonPath.Index) step).index()), changed);
    return new ListValue(items);
  }
}
