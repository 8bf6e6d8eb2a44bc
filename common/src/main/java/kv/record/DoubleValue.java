package kv.record;

/**
 * A double value. Immutable; equality is that of {@link Double#equals}, so {@code NaN} equals
 * itself and {@code 0.0} differs from {@code -0.0}, which keeps print/parse round trips exact.
 */
public record DoubleValue(double value) implements Value {}
