package kv.broker.ops;

import java.nio.charset.StandardCharsets;

/**
 * One answer of the operations routes, free of any HTTP library: status code, Content-Type and
 * body. Immutable (the body array is not copied and must not be changed).
 */
public record OpsReply(int status, String contentType, byte[] body) {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";
  static final String HTML = "text/html; charset=utf-8";

  static OpsReply text(int status, String text) {
    return new OpsReply(status, TEXT, (text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static OpsReply json(String json) {
    return new OpsReply(200, JSON, json.getBytes(StandardCharsets.UTF_8));
  }
}
