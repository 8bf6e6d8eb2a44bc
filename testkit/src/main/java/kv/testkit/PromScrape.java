package kv.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One scrape of a {@code /metrics} endpoint, read line by line with the text format's grammar
 * (HELP and TYPE lines, samples with escaped label values); throws on a line it cannot read, and
 * checks it with {@code promtool check metrics} where Prometheus's tool is installed.
 */
public record PromScrape(String text, Map<String, String> types, List<Sample> samples) {

  /** One sample line: a name, its labels, the value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  public static PromScrape fetch(int port) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(30))
            .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics: " + r.statusCode() + " " + r.body());
    }
    if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4")) {
      throw new IllegalStateException("GET /metrics: Content-Type " + r.headers().firstValue("Content-Type"));
    }
    return parse(r.body());
  }

  public static PromScrape parse(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    List<Sample> samples = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] p = line.substring(7).split(" ");
        types.put(p[0], p[1]);
      } else if (!line.startsWith("#")) {
        samples.add(sample(line, n));
      }
    }
    return new PromScrape(text, types, samples);
  }

  private static Sample sample(String line, int n) {
    int i = 0;
    while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_'
        || line.charAt(i) == ':')) {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      throw new IllegalArgumentException("line " + n + ": no metric name: " + line);
    }
    Map<String, String> labels = new TreeMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq);
        if (line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("line " + n + ": label value not quoted: " + line);
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char e = line.charAt(++j);
            value.append(e == 'n' ? '\n' : e);
          } else {
            value.append(c);
          }
        }
        labels.put(label, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    if (line.charAt(i) != ' ') {
      throw new IllegalArgumentException("line " + n + ": expected a space before the value: " + line);
    }
    String[] rest = line.substring(i + 1).split(" ");
    double value = switch (rest[0]) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(rest[0]);
    };
    return new Sample(name, labels, value);
  }

  /** The value of the one sample named {@code name} whose labels include {@code labels} (name, value, ...). */
  public double value(String name, String... labels) {
    Double found = null;
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s.labels(), labels)) {
        if (found != null) {
          throw new IllegalStateException(name + " " + List.of(labels) + ": more than one sample");
        }
        found = s.value();
      }
    }
    if (found == null) {
      throw new IllegalStateException(name + " " + List.of(labels) + ": no such sample in\n" + text);
    }
    return found;
  }

  public boolean has(String name, String... labels) {
    return samples.stream().anyMatch(s -> s.name().equals(name) && matches(s.labels(), labels));
  }

  private static boolean matches(Map<String, String> have, String[] want) {
    for (int k = 0; k < want.length; k += 2) {
      if (!want[k + 1].equals(have.get(want[k]))) {
        return false;
      }
    }
    return true;
  }

  public static boolean promtoolInstalled() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, "promtool"))) {
        return true;
      }
    }
    return false;
  }

  /** What {@code promtool check metrics} says of the text (empty when it has no complaint); its exit code first. */
  public String promtool() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("promtool did not finish");
    }
    return p.exitValue() + (out.isBlank() ? "" : " " + out.strip());
  }
}
