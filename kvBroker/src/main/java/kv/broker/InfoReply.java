package kv.broker;

/**
 * The fields of a server's {@code INFO} reply the broker uses: the instance id (new at every
 * start, so a changed id means the server restarted) and the number of live records (-1 when
 * the reply has none). Immutable.
 */
record InfoReply(String instanceId, long records) {

  /** Parses Redis-style {@code field:value} lines; {@code #} section headers and unknown fields are skipped. */
  static InfoReply parse(String text) {
    String instanceId = null;
    long records = -1;
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (line.startsWith("#") || colon < 0) {
        continue;
      }
      String field = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (field.equals("instance_id")) {
        instanceId = value;
      } else if (field.equals("records")) {
        try {
          records = Long.parseLong(value);
        } catch (NumberFormatException e) {
          records = -1;
        }
      }
    }
    return new InfoReply(instanceId, records);
  }
}
