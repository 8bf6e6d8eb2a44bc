package kv.broker.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonParser;

/**
 * A jq-like lookup for tests of JSON output: {@code Jq.at(line, ".error.kind")} reads the line as
 * strict JSON (throws on anything else) and follows {@code .name} and {@code [index]} steps, as
 * {@code jq -c '.error.kind'} would; a missing member is JSON null, as in jq.
 */
public final class Jq {
  private Jq() {}

  /** The whole line, parsed strictly (one JSON value, nothing after it). */
  public static JsonElement parse(String line) {
    com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new java.io.StringReader(line));
    reader.setStrictness(com.google.gson.Strictness.STRICT);
    JsonElement e = JsonParser.parseReader(reader);
    try {
      if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("more than one JSON value in: " + line);
      }
    } catch (java.io.IOException ex) {
      throw new IllegalArgumentException(ex);
    }
    return e;
  }

  public static JsonElement at(String line, String path) {
    JsonElement e = parse(line);
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        if (end == i + 1) {
          i = end;
          continue;
        }
        String name = path.substring(i + 1, end);
        e = e.isJsonObject() && e.getAsJsonObject().has(name) ? e.getAsJsonObject().get(name) : JsonNull.INSTANCE;
        i = end;
      } else if (c == '[') {
        int end = path.indexOf(']', i);
        int index = Integer.parseInt(path.substring(i + 1, end));
        e = e.isJsonArray() && index < e.getAsJsonArray().size() ? e.getAsJsonArray().get(index) : JsonNull.INSTANCE;
        i = end + 1;
      } else {
        throw new IllegalArgumentException("path: " + path + " (expected: .name and [index] steps)");
      }
    }
    return e;
  }

  /** The value at {@code path} as jq -r prints a string or a number; "null" for null. */
  public static String text(String line, String path) {
    JsonElement e = at(line, path);
    return e.isJsonNull() ? "null" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
  }
}
