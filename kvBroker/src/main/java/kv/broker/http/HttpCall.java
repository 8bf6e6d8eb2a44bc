package kv.broker.http;

import java.util.Objects;

/**
 * One HTTP request as the API sees it, free of Netty: the method, the request target as it came
 * (path and query, percent-encoded), the Content-Type and Accept headers (null when absent) and
 * the body. Immutable (the body array is not copied and must not be changed).
 */
record HttpCall(String method, String target, String contentType, String accept, byte[] body) {
  HttpCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    body = body == null ? new byte[0] : body;
  }

  /** A request without a body. */
  static HttpCall of(String method, String target) {
    return new HttpCall(method, target, null, null, null);
  }

  /** Whether the method changes data (POST, DELETE): an unanswered one has an unknown outcome. */
  boolean writes() {
    return method.equals("POST") || method.equals("DELETE");
  }
}
