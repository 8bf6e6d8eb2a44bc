package kv.resp;

/**
 * A request argument that is not valid UTF-8 where text is expected (keys, records, paths):
 * refused rather than decoded with replacement characters, which would make different keys
 * equal. The message names the argument, the byte offset and the byte. Servers answer it with
 * an error reply; the connection stays usable.
 */
public final class InvalidUtf8Exception extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InvalidUtf8Exception(int index, String command, int offset, byte value) {
    super("argument " + index + (command.isEmpty() ? "" : " of " + command) + ": invalid UTF-8 at byte offset "
        + offset + " (" + String.format("0x%02x", value & 0xff) + "; expected: UTF-8 text)");
  }
}
