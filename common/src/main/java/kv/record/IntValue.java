package kv.record;

/** A 64-bit integer value. Immutable. */
public record IntValue(long value) implements Value {}
