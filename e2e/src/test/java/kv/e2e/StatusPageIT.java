package kv.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kv.e2e.Launchers.Server;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The live status page in a real browser: bin/kvServer three times, bin/kvBroker --http, Debian's
 * chromium headless driven by Selenium through chromium-driver. The page lists the servers, a
 * server killed with SIGKILL turns DOWN without a reload, and UP again after its restart.
 * Screenshots are kept in target/e2e-artifacts/; with -Dscreenshots.update=true the one with a
 * server down also replaces the README's docs/status-page.png (a test run leaves the tree clean).
 */
class StatusPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path ARTIFACTS = Launchers.ROOT.resolve("e2e").resolve("target").resolve("e2e-artifacts");
  @TempDir Path dir;
  private final List<Server> processes = new ArrayList<>();
  private ChromeDriver browser;
  private final AtomicBoolean loading = new AtomicBoolean(true);

  @AfterEach
  void stop() throws InterruptedException {
    loading.set(false);
    if (browser != null) {
      browser.quit();
    }
    for (Server s : processes) {
      s.close();
    }
  }

  @Test
  void theServersAreListedAndAKilledServerTurnsDownThenUpAgain() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    List<Server> servers = Launchers.startServers(dir, 3);
    processes.addAll(servers);
    Server broker = Launchers.startHttpBroker(dir, Launchers.serverFile(dir, servers), 2);
    processes.add(broker);
    String base = "http://127.0.0.1:" + broker.port();
    Thread load = startLoad(base);

    browser = chromium();
    browser.manage().window().setSize(new Dimension(1000, 1000));
    browser.get(base + "/");
    for (Server s : servers) {
      awaitState(s, "UP");
    }
    assertThat(browser.findElements(By.cssSelector("#servers tbody tr"))).hasSize(3);
    assertThat(browser.findElement(By.id("summary")).getText()).isEqualTo("3 servers: 3 up, 0 down");
    Awaitility.await("the chart's legend shows GET").atMost(Duration.ofSeconds(30))
        .until(() -> !browser.findElements(By.cssSelector("#legend [data-command='GET']")).isEmpty());
    // For the README's picture: a chart of some seconds rather than one point (the broker counts per second).
    Awaitility.await("the broker has counted GETs for 15 seconds").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> countedSeconds(base) >= 15);

    Server victim = servers.get(1);
    int port = victim.port();
    victim.kill();
    awaitState(victim, "DOWN");
    assertThat(browser.findElement(By.id("summary")).getText()).isEqualTo("3 servers: 2 up, 1 down");
    Path down = screenshot("status-page-down.png");
    if (Boolean.getBoolean("screenshots.update")) { // the README's picture, renewed on request only
      Files.createDirectories(Launchers.ROOT.resolve("docs"));
      Files.copy(down, Launchers.ROOT.resolve("docs").resolve("status-page.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    browser.manage().window().setSize(new Dimension(390, 844)); // a phone
    Awaitility.await("the page fits a phone's width").atMost(Duration.ofSeconds(10))
        .until(() -> ((Number) ((JavascriptExecutor) browser)
            .executeScript("return document.documentElement.scrollWidth - window.innerWidth")).longValue() <= 0);
    screenshot("status-page-phone.png");
    browser.manage().window().setSize(new Dimension(1000, 1000));

    Server restarted = Launchers.startServer(dir, port);
    processes.set(processes.indexOf(victim), restarted);
    awaitState(restarted, "UP");
    assertThat(browser.findElement(By.id("summary")).getText()).isEqualTo("3 servers: 3 up, 0 down");
    screenshot("status-page-up.png");
    loading.set(false);
    load.join(Duration.ofSeconds(30).toMillis());
  }

  /** How many seconds of GET counts {@code /admin/live} holds. */
  private static int countedSeconds(String base) throws Exception {
    String live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/admin/live")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher gets = Pattern.compile("\"GET\":\\[([0-9,]*)\\]").matcher(live);
    return gets.find() ? gets.group(1).split(",").length : 0;
  }

  /** Waits until the server's row says {@code state} (the page polls; nothing is reloaded). */
  private void awaitState(Server server, String state) {
    By cell = By.cssSelector("#servers tr[data-server='" + server.address() + "'] td.state");
    Awaitility.await(server.address() + " shown " + state).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(WebDriverException.class)
        .until(() -> {
          List<WebElement> cells = browser.findElements(cell);
          return !cells.isEmpty() && cells.get(0).getText().equals(state);
        });
  }

  private Path screenshot(String name) throws Exception {
    Files.createDirectories(ARTIFACTS);
    Path file = ARTIFACTS.resolve(name);
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  /** A few writes, then GETs one after another (for the chart) until the test ends. */
  private Thread startLoad(String base) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Thread t = new Thread(() -> {
      int i = 0;
      while (loading.get()) {
        try {
          String key = "/keys/person" + (i % 20);
          if (i < 20) {
            client.send(HttpRequest.newBuilder(URI.create(base + key)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"PUT\",\"value\":{\"n\":" + i + "}}"))
                .build(), HttpResponse.BodyHandlers.discarding());
          } else {
            client.send(HttpRequest.newBuilder(URI.create(base + key)).build(), HttpResponse.BodyHandlers.discarding());
            Thread.sleep(20); // a steady trickle, not a benchmark: the machine is shared
          }
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // the broker answers 503 while both replicas of a key are down; keep going
        }
        i++;
      }
    }, "status-page-load");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static ChromeDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--hide-scrollbars");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}
