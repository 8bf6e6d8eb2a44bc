package kv.broker.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kv.broker.http.OpenApiCheck.Answer;

/** Runs {@code curl} as a user would (ProcessBuilder) and reads its {@code -i} output into an {@link Answer}. */
final class Curl {
  private Curl() {}

  /** {@code curl -s -i -X method [-H header]... [--data-binary body] url}. */
  static Answer run(String method, String url, String body, String... headers) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "-s", "-i", "-X", method));
    for (String header : headers) {
      command.add("-H");
      command.add(header);
    }
    if (body != null) {
      command.add("--data-binary");
      command.add(body);
    }
    command.add(url);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("curl " + String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
    }
    String text = new String(output, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String[] head = text.substring(0, end).split("\r\n");
    Map<String, String> answerHeaders = new LinkedHashMap<>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      answerHeaders.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
    }
    return new Answer(Integer.parseInt(head[0].split(" ")[1]), answerHeaders, text.substring(end + 4));
  }
}
