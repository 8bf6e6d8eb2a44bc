package kv.broker.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import kv.clock.VersionOrder;
import kv.resp.ReplicaCommand;
import kv.resp.Resp;

/**
 * One replica's answer to {@code VGET}/{@code VQUERY}: the version of the record or tombstone and
 * the text (the set, or the value at the path), {@code null} for a tombstone or an absent path.
 * Immutable in effect: the text is decoded from the reply's bytes at its first use (a benign race,
 * the String being immutable), so a read decodes only the answer it returns.
 */
public final class Versioned {
  /*
   * Replicas nearly always agree, and then both answers carry the same version and the same bytes:
   * comparing the bytes settles that tie without decoding either answer or comparing two Strings,
   * which the broker's k = 2 read had been doing for every key. Equal bytes are equal texts, so the
   * order is VersionOrder's either way.
   */
  private final long version;
  private final byte[] data;
  private String text;

  private Versioned(long version, byte[] data) {
    this.version = version;
    this.data = data;
  }

  /** The version of the record or tombstone. */
  public long version() {
    return version;
  }

  /** The text, or {@code null} for a tombstone or an absent path. */
  public String text() {
    String t = text;
    if (t == null && data != null) {
      t = new String(data, StandardCharsets.UTF_8);
      text = t;
    }
    return t;
  }

  /** Whether the answer is a tombstone (or an absent path): no text. */
  public boolean isTombstone() {
    return data == null;
  }

  @Override
  public String toString() {
    return "Versioned[version=" + version + ", text=" + text() + "]";
  }

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
        return new Versioned(version.value(), bulk.data());
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
    if (other == null) {
      return true;
    }
    if (version != other.version) {
      return version > other.version;
    }
    if (data != null && other.data != null && Arrays.equals(data, other.data)) {
      return false; // the same write
    }
    return VersionOrder.compareTie(text(), other.text()) > 0;
  }
}
