package kv.broker.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Requests the broker itself never sends (ECHO, unknown commands), as argument lists for tests. */
public final class TestRequests {
  private TestRequests() {}

  public static List<byte[]> of(String... words) {
    List<byte[]> args = new ArrayList<>(words.length);
    for (String word : words) {
      args.add(word.getBytes(StandardCharsets.UTF_8));
    }
    return List.copyOf(args);
  }
}
