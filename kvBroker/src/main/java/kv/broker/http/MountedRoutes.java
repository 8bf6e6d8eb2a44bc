package kv.broker.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Routes served on the HTTP port beside the API (the operator's: the status page, the metrics,
 * LOCATE), free of Netty: the {@link HttpApi} asks them first and answers the rest itself.
 * Implementations are thread-safe.
 */
public interface MountedRoutes {
  /**
   * The answer to {@code method} on the path {@code segments} (percent-decoded, without the
   * leading {@code /}: {@code /} has none), or null when the path is none of these routes.
   * {@code accept} is the Accept header or null. Completes on an I/O thread, never exceptionally.
   */
  CompletableFuture<Answer> handle(String method, List<String> segments, String accept);

  /** The routes as a 404 lists them, e.g. {@code "/, /metrics"}. */
  String describe();

  /** One answer: status, Content-Type, body (not copied; must not be changed) and further headers. */
  record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
    public Answer {
      headers = Map.copyOf(headers);
    }
  }
}
