package kv.server.durable;

/** A record whose checksum matched but whose bytes do not decode; the message says what failed. */
final class MalformedPayloadException extends RuntimeException {
  MalformedPayloadException(String message) {
    super(message);
  }
}
