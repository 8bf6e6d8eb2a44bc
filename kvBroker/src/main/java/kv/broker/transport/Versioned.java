package kv.broker.transport;

import kv.clock.VersionOrder;
import kv.resp.ReplicaCommand;
import kv.resp.Resp;

/**
 * One replica's answer to {@code VGET}/{@code VQUERY}: the version of the record or tombstone and
 * the text (the set, or the value at the path), {@code null} for a tombstone or an absent path.
 * Immutable.
 */
public record Versioned(long version, String text) {

  /** Thrown when a reply has not the shape {@code $-1} or {@code *2 [:version, $text or $-1]}. */
  public static final class MalformedReply extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedReply(String message) {
      super(message);
    }
  }

  /** Parses a read reply; {@code null} when the server never saw the key. */
  public static Versioned parse(ReplicaCommand command, Resp reply) throws MalformedReply {
    if (reply == Resp.NullBulk.INSTANCE) {
      return null;
    }
    if (reply instanceof Resp.Array array && array.items().size() == 2
        && array.items().get(0) instanceof Resp.Int version) {
      Resp value = array.items().get(1);
      if (value == Resp.NullBulk.INSTANCE) {
        return new Versioned(version.value(), null);
      }
      if (value instanceof Resp.Bulk bulk) {
        return new Versioned(version.value(), bulk.text());
      }
    }
    throw new MalformedReply("unexpected reply to " + command + ": " + reply
        + " (expected: $-1 or *2 [:version, $text or $-1])");
  }

  /**
   * Whether this answer wins over {@code other} (null: none): a newer version, or the same version
   * and the tie won ({@link VersionOrder}, as every server settles it). Versions are 64-bit HLC
   * values below 2^63 until the year 2527, so signed order is fine.
   */
  public boolean newerThan(Versioned other) {
    return other == null || VersionOrder.compare(version, text, other.version, other.text) > 0;
  }
}
