package kv.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the ratios of a bench/run results file as a PNG bar chart: one pair of bars per workload,
 * the anchor at 1.0 and KV at its ratio, so a glance shows where KV stands. Reads the file's first
 * table (workload | anchor | anchor figure | ours | ratio); rows without a ratio (failure detection)
 * are left out; memory per record is drawn as the anchor's bytes over KV's, so that every bar reads
 * "higher is better". Usage: {@code java -cp benchmarks.jar kv.bench.RatioChart RESULTS.md OUT.png}.
 */
public final class RatioChart {
  private static final Pattern RATIO = Pattern.compile("^\\s*([0-9]+(?:\\.[0-9]+)?)x");

  /** One bar pair: a short workload name, the anchor's name and KV's ratio. */
  record Bar(String label, String anchor, double ratio) {}

  private RatioChart() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: RatioChart RESULTS.md OUT.png");
      System.exit(2);
    }
    System.setProperty("java.awt.headless", "true");
    List<Bar> bars = bars(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8));
    if (bars.isEmpty()) {
      System.err.println("RatioChart: " + args[0] + ": no table rows with a ratio (expected: a bench/run results file)");
      System.exit(1);
    }
    String title = title(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8));
    String out = args[1].endsWith(".png") ? args[1].substring(0, args[1].length() - 4) : args[1];
    BitmapEncoder.saveBitmap(chart(title, bars), out, BitmapEncoder.BitmapFormat.PNG);
  }

  /** The rows of the first results table that carry a ratio, in table order. */
  static List<Bar> bars(List<String> lines) {
    List<Bar> bars = new ArrayList<>();
    boolean inTable = false;
    for (String line : lines) {
      if (line.startsWith("| workload |")) {
        inTable = true;
        continue;
      }
      if (!inTable || line.startsWith("|---")) {
        continue;
      }
      if (!line.startsWith("|")) {
        break; // the end of the first table
      }
      String[] cells = line.split("\\|");
      if (cells.length < 6) {
        continue;
      }
      Matcher m = RATIO.matcher(cells[5]);
      if (m.find()) {
        double ratio = Double.parseDouble(m.group(1));
        String workload = cells[1].strip();
        // Bytes per record: lower is better, so the bar shows anchor bytes / ours (higher is better).
        if (workload.startsWith("memory per record") && ratio > 0) {
          ratio = 1 / ratio;
        }
        bars.add(new Bar(shortLabel(workload), cells[2].strip(), ratio));
      }
    }
    return bars;
  }

  /** "kvServer PUT (SET for the anchor), 50 clients, -P 16" becomes "kvServer PUT -P16". */
  static String shortLabel(String workload) {
    String s = workload
        .replace(" (SET for the anchor)", "")
        .replace(", 50 clients", "")
        .replace(", -P 16", " -P16")
        .replace(" = ", "=");
    if (s.startsWith("bulk load")) {
      s = s.replaceFirst("bulk load [0-9,]+ records: ", "bulk: ")
          .replace(", three kvServers", "")
          .replace("redis-cli --pipe into one kvServer", "--pipe into kvServer");
    }
    if (s.startsWith("memory per record")) {
      s = "memory: Redis bytes / KV bytes";
    }
    return s;
  }

  static CategoryChart chart(String title, List<Bar> bars) {
    CategoryChart chart = new CategoryChartBuilder().width(1200).height(640).title(title)
        .xAxisTitle("").yAxisTitle("ratio to the anchor (anchor = 1.0; higher is better)").build();
    org.knowm.xchart.style.CategoryStyler styler = chart.getStyler();
    styler.setXAxisLabelRotation(60);
    styler.setLegendPosition(Styler.LegendPosition.InsideNE);
    styler.setSeriesColors(new Color[] {new Color(0x9e9e9e), new Color(0x1f77b4)});
    styler.setAvailableSpaceFill(0.7);
    styler.setYAxisDecimalPattern("0.0");
    styler.setChartBackgroundColor(Color.WHITE);
    List<String> labels = new ArrayList<>();
    List<Double> anchor = new ArrayList<>();
    List<Double> ours = new ArrayList<>();
    double top = 1.0;
    for (Bar bar : bars) {
      top = Math.max(top, bar.ratio());
    }
    styler.setYAxisMin(0.0);
    styler.setYAxisMax(top * 1.3); // room for the legend above the bars
    for (Bar bar : bars) {
      labels.add(bar.label());
      anchor.add(1.0);
      ours.add(bar.ratio());
    }
    chart.addSeries("anchor (redis-server, nutcracker, redis-cli --pipe)", labels, anchor);
    chart.addSeries("KV", labels, ours);
    return chart;
  }

  private static String title(List<String> lines) {
    String first = lines.isEmpty() ? "" : lines.get(0).replaceFirst("^#\\s*", "");
    return first.isEmpty() ? "KV against its anchors" : first.toLowerCase(Locale.ROOT).startsWith("kv") ? first : "KV: " + first;
  }
}
