package kv.record;

/** The names of value types: KV's, for error messages, and RedisJSON's, for JSON.TYPE. Stateless. */
public final class ValueTypes {
  private ValueTypes() {}

  /** "a set", "a list", "a string", "an integer", "a float", "a boolean" or "null". */
  public static String describe(Value value) {
    if (value instanceof SetValue) {
      return "a set";
    } else if (value instanceof ListValue) {
      return "a list";
    } else if (value instanceof StringValue) {
      return "a string";
    } else if (value instanceof IntValue) {
      return "an integer";
    } else if (value instanceof DoubleValue) {
      return "a float";
    } else if (value instanceof BoolValue) {
      return "a boolean";
    }
    return "null";
  }

  /** RedisJSON's names: object, array, string, integer, number, boolean, null. */
  public static String jsonName(Value value) {
    if (value instanceof SetValue) {
      return "object";
    } else if (value instanceof ListValue) {
      return "array";
    } else if (value instanceof StringValue) {
      return "string";
    } else if (value instanceof IntValue) {
      return "integer";
    } else if (value instanceof DoubleValue) {
      return "number";
    } else if (value instanceof BoolValue) {
      return "boolean";
    }
    return "null";
  }

  /** Nesting depth as the reader counts it: a scalar 0, a set or list 1 plus its deepest value. */
  public static int depth(Value value) {
    int deepest = 0;
    if (value instanceof SetValue set) {
      for (var e : set.entries()) {
        deepest = Math.max(deepest, depth(e.getValue()));
      }
      return deepest + 1;
    }
    if (value instanceof ListValue list) {
      for (Value item : list.items()) {
        deepest = Math.max(deepest, depth(item));
      }
      return deepest + 1;
    }
    return 0;
  }
}
