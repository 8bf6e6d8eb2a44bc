package kv.broker.http;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.RecordPrinter;
import kv.record.SetValue;
import kv.record.StringValue;
import kv.record.Value;
import kv.record.ValueTypes;

/**
 * Reads the body of {@code POST /keys/{key}}: {@code {"type": "PUT" | "APPEND", "value": V}} in
 * JSON, V any JSON value, checking the Content-Type (415) and then the body (400, saying what is
 * wrong and where: a line and column, or a JSON pointer). Pure; thread-safe.
 */
final class WriteBody {
  /*
   * The text is read by KV's RecordParser (Gson's lenient reader checked strictly: duplicate keys,
   * numbers beyond 64 bits, NaN, trailing text and depth are refused with a line and column), then
   * checked once more by Gson's strict reader, which refuses what KV's record syntax adds to JSON
   * (bare keys, ';' between pairs): an HTTP client sends JSON, and a body that only KV would read
   * is a mistake worth naming.
   */
  static final String EXPECTED = "{\"type\": \"PUT\" or \"APPEND\", \"value\": any JSON value}";
  private static final Pattern POSITION = Pattern.compile("at line (\\d+) column (\\d+)");

  /** What a POST asks for. */
  enum Type { PUT, APPEND }

  /** A parsed body: the type of write and its value. */
  record Write(Type type, Value value) {}

  private final RecordParser parser;

  /** @param parser reads the body; its limits bound the body's size and depth */
  WriteBody(RecordParser parser) {
    this.parser = parser;
  }

  /**
   * Accepts {@code application/json} with no charset or {@code charset=utf-8}.
   *
   * @throws HttpError 415 naming what was sent and what is expected
   */
  static void checkContentType(String header) throws HttpError {
    if (header == null || header.isBlank()) {
      throw new HttpError(415, "Content-Type: missing (expected: application/json)");
    }
    String[] parts = header.split(";");
    String type = parts[0].strip().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json")) {
      throw new HttpError(415, "Content-Type: " + UriPath.shown(header.strip()) + " (expected: application/json)");
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip();
      int eq = parameter.indexOf('=');
      if (eq < 0 || !parameter.substring(0, eq).strip().equalsIgnoreCase("charset")) {
        continue;
      }
      String charset = parameter.substring(eq + 1).strip();
      if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
        charset = charset.substring(1, charset.length() - 1);
      }
      if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
        throw new HttpError(415, "Content-Type: charset=" + UriPath.shown(charset)
            + " (expected: utf-8, JSON's encoding, or no charset)");
      }
    }
  }

  /**
   * The write a body asks for.
   *
   * @throws HttpError 400 saying what is wrong and where
   */
  Write parse(byte[] body) throws HttpError {
    String text = utf8(body);
    if (text.isBlank()) {
      throw new HttpError(400, "body: empty (expected: " + EXPECTED + ")");
    }
    Value document;
    try {
      document = parser.parseValue(text);
    } catch (RecordFormatException e) {
      throw new HttpError(400, "body: " + e.getMessage(), e);
    }
    checkStrictJson(text);
    if (!(document instanceof SetValue envelope)) {
      throw new HttpError(400, "body: " + ValueTypes.describe(document).replace("a set", "an object")
          + " (expected: an object " + EXPECTED + ")");
    }
    Type type = null;
    Value value = null;
    for (Map.Entry<String, Value> member : envelope.entries()) {
      switch (member.getKey()) {
        case "type" -> type = type(member.getValue());
        case "value" -> value = member.getValue();
        default -> throw new HttpError(400, pointer(member.getKey()) + ": unknown member (expected: only \"type\""
            + " and \"value\", " + EXPECTED + ")");
      }
    }
    if (type == null) {
      throw new HttpError(400, "/type: missing (expected: " + EXPECTED + ")");
    }
    if (value == null) {
      throw new HttpError(400, "/value: missing (expected: " + EXPECTED + ")");
    }
    return new Write(type, value);
  }

  private static Type type(Value value) throws HttpError {
    if (value instanceof StringValue s) {
      for (Type t : Type.values()) {
        if (t.name().equals(s.value())) {
          return t;
        }
      }
    }
    String shown = RecordPrinter.print(value);
    throw new HttpError(400, "/type: " + UriPath.shown(shown) + " (expected: \"PUT\" or \"APPEND\")");
  }

  /** A JSON pointer to a member of the body's object (RFC 6901: ~ as ~0, / as ~1). */
  private static String pointer(String member) {
    return "/" + UriPath.shown(member.replace("~", "~0").replace("/", "~1"));
  }

  /** Refuses what KV's syntax accepts and JSON does not, naming the line and column. */
  private static void checkStrictJson(String text) throws HttpError {
    JsonReader reader = new JsonReader(new StringReader(text));
    reader.setStrictness(Strictness.STRICT);
    try {
      reader.skipValue();
      reader.peek();
    } catch (IOException | RuntimeException e) {
      Matcher at = POSITION.matcher(String.valueOf(e.getMessage()));
      String where = at.find() ? " at line " + at.group(1) + " column " + at.group(2) : "";
      throw new HttpError(400, "body: not standard JSON" + where + ": KV's record syntax (bare keys, ';' between"
          + " pairs) is not taken here (expected: JSON, RFC 8259: keys in double quotes, ',' between members)", e);
    }
  }

  private static String utf8(byte[] body) throws HttpError {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(body.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new HttpError(400, "body: invalid UTF-8 at byte " + (in.position() + 1) + " (expected: JSON in UTF-8)");
    }
    return out.flip().toString();
  }
}
