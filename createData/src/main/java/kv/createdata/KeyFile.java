package kv.createdata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key file (SPEC.md §3): one {@code name type} per line, type {@code string}, {@code int} or
 * {@code float}; blank lines and {@code #} comments are ignored. A name listed twice with the same
 * type counts once; with another type it is an error. Immutable; the parser is stateless.
 */
record KeyFile(List<KeySpec> keys) {
  private static final String EXPECTED_FILE = "expected: a text file of 'name type' lines";
  private static final String EXPECTED_LINE =
      "expected: a line 'name type' with type string, int or float; comments start with #";

  KeyFile {
    keys = List.copyOf(keys);
  }

  /** Reads {@code file} as UTF-8; {@code shown} is how messages name it (as the user typed it). */
  static KeyFile read(Path file, String shown) throws KeyFileException {
    if (Files.isDirectory(file)) {
      throw new KeyFileException("cannot read " + shown + ": it is a directory (" + EXPECTED_FILE + ")");
    }
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(shown, reader);
    } catch (NoSuchFileException e) {
      throw new KeyFileException("cannot read " + shown + ": no such file (" + EXPECTED_FILE + ")", e);
    } catch (AccessDeniedException e) {
      throw new KeyFileException("cannot read " + shown + ": permission denied (" + EXPECTED_FILE + ")", e);
    } catch (CharacterCodingException e) {
      throw new KeyFileException(shown + ": not UTF-8 text (" + EXPECTED_FILE + ")", e);
    } catch (IOException e) {
      throw new KeyFileException("cannot read " + shown + ": " + e.getMessage() + " (" + EXPECTED_FILE + ")", e);
    }
  }

  /** Parses key-file text; {@code source} names it in messages ({@code source:line: problem}). */
  static KeyFile parse(String source, Reader text) throws IOException, KeyFileException {
    BufferedReader reader = text instanceof BufferedReader b ? b : new BufferedReader(text);
    List<KeySpec> keys = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    Map<String, KeyType> types = new HashMap<>();
    int lineNumber = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      String[] words = withoutComment(line).trim().split("\\s+");
      if (words.length == 1 && words[0].isEmpty()) {
        continue;
      }
      String where = source + ":" + lineNumber + ": ";
      if (words.length == 1) {
        throw new KeyFileException(where + "missing type after '" + words[0] + "' (" + EXPECTED_LINE + ")");
      }
      if (words.length > 2) {
        throw new KeyFileException(where + "unexpected '" + words[2] + "' after '" + words[0] + " " + words[1]
            + "' (" + EXPECTED_LINE + ")");
      }
      KeyType type = KeyType.parse(words[1]);
      if (type == null) {
        throw new KeyFileException(where + "unknown type '" + words[1] + "' for '" + words[0]
            + "' (expected: string, int or float)");
      }
      KeySpec spec = new KeySpec(words[0], type);
      Integer seen = firstLine.putIfAbsent(spec.name(), lineNumber);
      if (seen == null) {
        keys.add(spec);
        types.put(spec.name(), type);
      } else {
        KeyType earlier = types.get(spec.name());
        if (earlier != type) {
          throw new KeyFileException(where + "'" + spec.name() + "' declared again as " + type.word()
              + " (expected: one type per name; line " + seen + " declares it " + earlier.word() + ")");
        }
      }
    }
    return new KeyFile(keys);
  }

  /** The line up to a '#' that starts a word, so a '#' inside a name is kept. */
  private static String withoutComment(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }
}
