package kv.record;

/**
 * A value inside a record: a set of key/value pairs, a string, a 64-bit integer, a double, a list,
 * a boolean or null. Every implementation is immutable with structural equality, so values are
 * safe to share between threads.
 */
public sealed interface Value
    permits SetValue, StringValue, IntValue, DoubleValue, ListValue, BoolValue, NullValue {}
