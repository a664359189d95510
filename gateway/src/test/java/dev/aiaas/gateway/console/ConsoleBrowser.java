package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} through {@code chromium-driver}) pointed at a
 * running platform, with what the console's browser tests share: signing in, waiting, the axe-core
 * accessibility check, light and dark screenshots into {@code docs/console/}.
 */
final class ConsoleBrowser implements AutoCloseable {

  /** Desktop size the screenshots are taken at. */
  static final Dimension DESKTOP = new Dimension(1280, 800);

  /** A phone held upright. */
  static final Dimension PHONE = new Dimension(390, 844);

  private final ChromeDriver driver;
  private final URI base;
  private final WebDriverWait wait;

  ConsoleBrowser(URI base) {
    this.base = base;
    // The system's browser and driver: Selenium Manager must not try to download either.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(property("aiaas.chromedriver", "/usr/bin/chromedriver")))
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions()
        .setBinary(property("aiaas.chromium", "/usr/bin/chromium"))
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=" + DESKTOP.width + "," + DESKTOP.height, "--lang=en-US", "--force-device-scale-factor=1");
    // The browser's console log, to catch what the Content-Security-Policy blocked.
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    this.driver = new ChromeDriver(service, options);
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  private static String property(String name, String fallback) {
    return Optional.ofNullable(System.getProperty(name)).filter(s -> !s.isBlank()).orElse(fallback);
  }

  ChromeDriver driver() {
    return driver;
  }

  void open(String path) {
    driver.get(base.resolve(path).toString());
  }

  WebElement await(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  void awaitText(By by, String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  void awaitGone(By by) {
    wait.until(ExpectedConditions.invisibilityOfElementLocated(by));
  }

  /** The form control named {@code name} in the page's main content. */
  WebElement field(String name) {
    return driver.findElement(By.cssSelector("main [name='" + name + "']"));
  }

  /** Replaces a controlled input's text the way a person does, so React sees the change. */
  void retype(String name, String text) {
    field(name).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    field(name).sendKeys(text);
  }

  /** The heading of the page now shown, once no loading indicator is left. */
  WebElement awaitPage(String heading) {
    WebElement h1 = wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[normalize-space()='" + heading + "']")));
    awaitGone(By.cssSelector("[role=status].loading"));
    return h1;
  }

  /** Signs in through the form, as a person would. */
  void signIn(String email, String password) {
    open("/console/");
    await(By.id("signin-title"));
    WebElement emailInput = driver.findElement(By.cssSelector("input[name=email]"));
    emailInput.clear();
    emailInput.sendKeys(email);
    WebElement passwordInput = driver.findElement(By.cssSelector("input[name=password]"));
    passwordInput.clear();
    passwordInput.sendKeys(password);
    driver.findElement(By.cssSelector("button[type=submit]")).click();
  }

  /** Follows a link of the main navigation. */
  void navigate(String title) {
    driver.findElement(By.cssSelector("nav[aria-label=Main]")).findElement(By.linkText(title)).click();
    awaitPage(title);
  }

  List<String> navigationTitles() {
    return driver.findElements(By.cssSelector("nav[aria-label=Main] a")).stream().map(WebElement::getText).collect(Collectors.toList());
  }

  Object script(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** Every cookie the browser holds, HttpOnly ones included (the DevTools protocol sees them all). */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> allCookies() {
    return (List<Map<String, Object>>) driver.executeCdpCommand("Network.getAllCookies", Map.of()).get("cookies");
  }

  Optional<Map<String, Object>> cookie(String name) {
    return allCookies().stream().filter(c -> name.equals(c.get("name"))).findFirst();
  }

  void colorScheme(String scheme) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  void size(Dimension size) {
    // The window includes no chrome in headless mode, so the viewport gets exactly this size.
    driver.manage().window().setSize(size);
  }

  /**
   * Runs axe-core (from the console's npm dependencies) on the page in the current colour scheme
   * and fails on any serious or critical violation, naming the rule and the elements.
   */
  void assertAccessible(String page) {
    if (!Boolean.TRUE.equals(script("return typeof window.axe === 'object'"))) {
      script(axeSource());
    }
    String result = (String) driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)),"
            + " e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));");
    JsonArray violations = new JsonArray(result);
    List<String> severe = violations.stream().map(JsonObject.class::cast)
        .filter(v -> "serious".equals(v.getString("impact")) || "critical".equals(v.getString("impact")))
        .map(v -> v.getString("id") + " (" + v.getString("impact") + "): " + v.getString("help") + " at "
            + v.getJsonArray("nodes").stream().map(JsonObject.class::cast).map(n -> n.getJsonArray("target").encode()).toList())
        .toList();
    assertTrue(severe.isEmpty(), "accessibility violations on " + page + ": " + severe);
  }

  private static String axeSource() {
    Path axe = Path.of(property("aiaas.axe", "../web-console/node_modules/axe-core/axe.min.js"));
    try {
      return Files.readString(axe);
    } catch (IOException e) {
      throw new UncheckedIOException("axe-core is installed by the web-console build (npm ci): " + axe, e);
    }
  }

  /**
   * Fails when the page broke the Content-Security-Policy (something the app needs was blocked)
   * or loaded anything from outside the gateway (fonts, icons and scripts are all bundled).
   */
  void assertSelfContained(String page) {
    List<String> blocked = driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
        .filter(m -> m.contains("Content Security Policy")).toList();
    assertTrue(blocked.isEmpty(), "the CSP blocked something on " + page + ": " + blocked);
    @SuppressWarnings("unchecked")
    List<String> foreign = ((List<String>) script("return performance.getEntriesByType('resource').map(e => e.name)"
        + ".filter(n => !n.startsWith(location.origin + '/'))"));
    assertTrue(foreign.isEmpty(), page + " loaded from elsewhere: " + foreign);
  }

  /** Checks the page in light and dark, keeping a screenshot of each as {@code docs/console/NAME-light.png}. */
  void checkAndCapture(String name) {
    assertSelfContained(name);
    // From the top, so the sticky header is drawn where it belongs in the full-page shot.
    script("window.scrollTo(0, 0); document.activeElement?.blur()");
    for (String scheme : List.of("light", "dark")) {
      colorScheme(scheme);
      // Charts redraw for the new scheme; give the canvas one frame.
      driver.executeAsyncScript("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => setTimeout(done, 300));");
      assertAccessible(name + " (" + scheme + ")");
      screenshot(name + "-" + scheme);
    }
    colorScheme("light");
  }

  void screenshot(String name) {
    Path dir = Path.of(property("aiaas.screenshots", "target/console-screenshots"));
    try {
      Files.createDirectories(dir);
      // The whole page, not just the viewport: the README shows what a page holds.
      Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
      @SuppressWarnings("unchecked")
      Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
      long width = Math.round(((Number) content.get("width")).doubleValue());
      long height = Math.min(4000, Math.round(((Number) content.get("height")).doubleValue()));
      Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
          "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
      Files.write(dir.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Clicks a download link and returns the text of the file the browser saved. */
  String download(By link) {
    try {
      Path dir = Files.createTempDirectory("console-download");
      driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", dir.toString()));
      driver.findElement(link).click();
      Path file = wait.until(d -> {
        try (var files = Files.list(dir)) {
          return files.filter(f -> !f.getFileName().toString().endsWith(".crdownload")).findFirst().orElse(null);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when the page is no wider than the window: nothing needs sideways scrolling. */
  boolean fitsWidth() {
    return Boolean.TRUE.equals(script("return document.documentElement.scrollWidth <= window.innerWidth"));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
