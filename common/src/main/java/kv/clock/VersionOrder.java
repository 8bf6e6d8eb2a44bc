package kv.clock;

/**
 * Which of two writes of one key wins, identically on every server, broker, read repair and
 * resync: the higher version; at equal versions (two writers with the same millisecond, counter
 * and 8-bit node id) a tombstone beats a value, and between two values the greater canonical
 * text (in {@link String#compareTo} order) wins. Equal versions with equal texts are one write.
 * Stateless.
 */
public final class VersionOrder {
  /*
   * Why a tie-break on the value rather than unique versions: node ids are 8 random bits chosen
   * by each broker without coordination (and each server's own clock has one too), so two writers
   * can share an id, and nothing in the cluster could hand out unique ones while servers are down.
   * A rule that depends only on what the replicas hold makes ties converge wherever the two
   * writes meet, in any order: each replica keeps the winner, a read answers it and read repair
   * or a hint replay carries it to the others. The rule is Cassandra's (a deletion wins a
   * timestamp tie; otherwise the greater value). A tombstone is text null here.
   */
  private VersionOrder() {}

  /**
   * Compares two writes: positive when {@code (version, text)} wins over
   * {@code (otherVersion, otherText)}, negative when it loses, zero when they are the same write.
   * A null text is a tombstone.
   */
  public static int compare(long version, String text, long otherVersion, String otherText) {
    if (version != otherVersion) {
      return Long.compare(version, otherVersion);
    }
    return compareTie(text, otherText);
  }

  /** Compares two writes of the same version: a tombstone (null) first, then the greater text. */
  public static int compareTie(String text, String otherText) {
    if (text == null || otherText == null) {
      return text == null ? (otherText == null ? 0 : 1) : -1;
    }
    return Integer.signum(text.compareTo(otherText));
  }
}
