package kv.broker.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP answer as the API decides it: status, Content-Type (null without a body), body and any
 * further headers. Immutable (the body array is not copied and must not be changed).
 */
record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";
  static final String YAML = "application/yaml";

  HttpReply {
    body = body == null ? new byte[0] : body;
    headers = Map.copyOf(headers);
    if (body.length > 0) {
      Objects.requireNonNull(contentType, "contentType");
    }
  }

  /** 204: no body. */
  static HttpReply noContent() {
    return new HttpReply(204, null, null, Map.of());
  }

  /** 204 with headers (e.g. how many replicas acknowledged a write). */
  static HttpReply noContent(Map<String, String> headers) {
    return new HttpReply(204, null, null, headers);
  }

  /** A {@code text/plain} answer: the message and a newline. */
  static HttpReply text(int status, String message) {
    return new HttpReply(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** A 200 {@code application/json} answer. */
  static HttpReply json(String json) {
    return new HttpReply(200, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** The same answer with one more header. */
  HttpReply with(String header, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(header, value);
    return new HttpReply(status, contentType, body, more);
  }

  /** The body as text (for tests and logs). */
  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
