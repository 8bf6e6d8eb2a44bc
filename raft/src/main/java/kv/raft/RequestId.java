package kv.raft;

import java.nio.charset.StandardCharsets;

/**
 * Names one write so that the state machine applies it at most once however often it is sent:
 * the client (any stable name, e.g. a random id per client process), a sequence number unique
 * within that client, and the client's floor: every request of that client below the floor has
 * been answered and will never be sent again, so the state machine may forget it. Immutable.
 *
 * @param client 1..64 bytes of UTF-8 without spaces
 * @param seq >= 0, unique per client (per group is enough)
 * @param floor 0..seq
 */
public record RequestId(String client, long seq, long floor) {
  public static final int MAX_CLIENT_BYTES = 64;

  public RequestId {
    int bytes = client.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > MAX_CLIENT_BYTES || client.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException("request id client: '" + client + "' (expected: 1.." + MAX_CLIENT_BYTES
          + " bytes without spaces)");
    }
    if (seq < 0 || floor < 0 || floor > seq) {
      throw new IllegalArgumentException("request id: seq " + seq + ", floor " + floor + " (expected: 0 <= floor <= seq)");
    }
  }

  @Override
  public String toString() {
    return client + "/" + seq;
  }
}
