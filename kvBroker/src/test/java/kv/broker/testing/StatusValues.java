package kv.broker.testing;

import kv.broker.engine.EngineStatus;

/** Reads a number out of an engine's status sections (e.g. the eventual engine's catch-up counters). */
public final class StatusValues {
  private StatusValues() {}

  /** The value named {@code name} in any section of {@code status}, as a number. */
  public static long counter(EngineStatus status, String name) {
    for (EngineStatus.Section section : status.sections()) {
      String value = section.values().get(name);
      if (value != null) {
        return Long.parseLong(value);
      }
    }
    throw new IllegalArgumentException("counter: " + name + " (expected: one of the engine's status values)");
  }
}
