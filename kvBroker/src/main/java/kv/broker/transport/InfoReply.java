package kv.broker.transport;

/**
 * The fields of a server's {@code INFO} reply the broker uses: the instance id (new at every
 * start, so a changed id means the server restarted), the number of live records and tombstones
 * (-1 when the reply has none), whether it persists its data, and how many bytes of a damaged log
 * tail its last start dropped. Immutable.
 */
public record InfoReply(String instanceId, long records, long tombstones, boolean persistent, long replayDroppedBytes) {

  InfoReply(String instanceId, long records) {
    this(instanceId, records, -1, false, 0);
  }

  /**
   * Whether the server came back with its data: persistent, not empty, its log replayed whole.
   * It then lacks only the writes made while it was down (the broker's hints), plus, after a
   * power cut rather than a crash, those of the last fsync interval (the background resync).
   */
  public boolean keptItsData() {
    return persistent && Math.max(records, 0) + Math.max(tombstones, 0) > 0 && replayDroppedBytes == 0;
  }

  /** Parses Redis-style {@code field:value} lines; {@code #} section headers and unknown fields are skipped. */
  static InfoReply parse(String text) {
    String instanceId = null;
    long records = -1;
    long tombstones = -1;
    boolean persistent = false;
    long dropped = 0;
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (line.startsWith("#") || colon < 0) {
        continue;
      }
      String field = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      switch (field) {
        case "instance_id":
          instanceId = value;
          break;
        case "records":
          records = number(value, -1);
          break;
        case "tombstones":
          tombstones = number(value, -1);
          break;
        case "persistence":
          persistent = value.equals("on");
          break;
        case "replay_dropped_bytes":
          dropped = number(value, 1); // unreadable: assume something was dropped
          break;
        default:
          break;
      }
    }
    return new InfoReply(instanceId, records, tombstones, persistent, dropped);
  }

  private static long number(String value, long otherwise) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
