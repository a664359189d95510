package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explanation beside a try-it prediction in a real headless Chromium against the real
 * platform: a small tabular model and a small cnn trained and deployed through the API, explained
 * in the page, and what the page shows compared with what the explain API answers for the same
 * instance.
 */
class ConsoleExplainIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  /** Training and deployment run on a shared machine: patient, but bounded. */
  private static final Duration SLOW = Duration.ofSeconds(180);

  private static ConsoleBrowser browser;
  private static TenantFixture acme;
  private static Api owner;

  @BeforeAll
  static void startBrowser() {
    acme = TenantFixture.create(app, "acme");
    owner = app.api().as(acme.ownerToken());
    browser = new ConsoleBrowser(app.uri("/"));
    browser.signIn(acme.ownerEmail(), TenantFixture.PASSWORD);
    browser.awaitPage("Overview");
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  /** 40 rows where a low spend means churn, with a numeric and a categorical column beside it. */
  private static String churnCsv() {
    StringBuilder csv = new StringBuilder("age,plan,spend,churned\n");
    for (int i = 0; i < 40; i++) {
      double spend = 5 + (i * 37 % 40);
      csv.append(20 + i).append(',').append(i % 3 == 0 ? "pro" : "free").append(',').append(spend).append(',')
          .append(spend < 25 ? "yes" : "no").append('\n');
    }
    return csv.toString();
  }

  /**
   * Verifies that "Explain this prediction" under a try-it answer shows one bar per column of the
   * model (largest attribution first, each value on hover and as text for screen readers), the
   * explained class, the output, the baseline output and the completeness error, all equal to
   * what {@code POST /v1/models/churn/explain} answers for the same instance.
   */
  @Test
  void explainsATryItPredictionAsTheApiDoes() {
    String dataset = owner.postBytes("/v1/datasets?name=churn&format=csv", "text/csv",
        churnCsv().getBytes(StandardCharsets.UTF_8)).json().getString("id");
    String job = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset).put("model", "churn")
        .put("task", "classification").put("label", "churned").put("architecture", "mlp")
        .put("hyperparameters", new JsonObject().put("epochs", 5).put("batch_size", 8)).put("seed", 7)).json().getString("id");
    JsonObject done = Eventually.until(() -> owner.get("/v1/training-jobs/" + job).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), SLOW);
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    Api.Response deployed = owner.post("/v1/models/churn/deployment", new JsonObject().put("version", 1));
    assertTrue(deployed.status() < 300, deployed::toString);

    browser.open("/console/models?name=churn");
    browser.awaitPage("Models");
    new WebDriverWait(browser.driver(), SLOW)
        .until(d -> d.findElement(By.cssSelector("[data-testid=deployment-state]")).getText().contains("ready"));
    browser.await(By.cssSelector("input[data-input=age]")).sendKeys("33");
    browser.driver().findElement(By.cssSelector("input[data-input=plan]")).sendKeys("pro");
    browser.driver().findElement(By.cssSelector("input[data-input=spend]")).sendKeys("12.5");
    click("Predict");
    String label = browser.await(By.cssSelector("[data-testid=predicted-label]")).getText();
    click("Explain this prediction");
    WebElement shown = new WebDriverWait(browser.driver(), SLOW)
        .until(d -> d.findElement(By.cssSelector("[data-testid=explanation]")));

    JsonObject expected = owner.post("/v1/models/churn/explain", new JsonObject().put("instances",
        new JsonArray().add(new JsonObject().put("age", 33).put("plan", "pro").put("spend", 12.5)))).json()
        .getJsonArray("explanations").getJsonObject(0);
    assertEquals(label, expected.getString("target"), "the explanation is of the predicted class");
    assertEquals(expected.getString("target"),
        shown.findElement(By.cssSelector("[data-testid=explained-target]")).getAttribute("textContent").trim());

    // One bar per column of the model, with the API's attribution.
    JsonObject attributions = expected.getJsonObject("attributions");
    assertEquals(Set.of("age", "plan", "spend"), attributions.fieldNames());
    Map<String, Double> bars = new LinkedHashMap<>();
    for (WebElement bar : shown.findElements(By.cssSelector("[data-testid=attribution]"))) {
      String column = bar.getDomAttribute("data-feature");
      double value = Double.parseDouble(bar.getDomAttribute("data-value"));
      bars.put(column, value);
      // The value is on hover and in the row's text for screen readers, its sign spelled out.
      String sign = value >= 0 ? "+" : "−";
      assertTrue(bar.getDomAttribute("title").startsWith(column + ": " + sign), bar.getDomAttribute("title"));
      assertTrue(bar.getAttribute("textContent").contains(value >= 0 ? "raised" : "lowered"), bar.getAttribute("textContent"));
    }
    assertEquals(attributions.fieldNames(), bars.keySet());
    for (String column : attributions.fieldNames()) {
      assertEquals(attributions.getDouble(column), bars.get(column), 1e-6, column);
    }
    List<Double> magnitudes = bars.values().stream().map(Math::abs).toList();
    assertEquals(magnitudes.stream().sorted((a, b) -> Double.compare(b, a)).toList(), magnitudes, "largest first");

    for (String[] number : new String[][] {{"explained-output", "output"}, {"baseline-output", "baseline_output"},
        {"completeness-error", "completeness_error"}}) {
      String value = shown.findElement(By.cssSelector("[data-testid=" + number[0] + "]")).getDomAttribute("data-value");
      assertEquals(expected.getDouble(number[1]), Double.parseDouble(value), 1e-6, number[1]);
    }
    browser.checkAndCapture("models-explain");
  }

  /**
   * Verifies that explaining an image model's try-it prediction shows the saliency map the
   * explain API answers for the same image (same size, same class) beside the image that was sent.
   */
  @Test
  void explainsAnImagePredictionWithItsSaliencyMap() throws IOException {
    String dataset = owner.postBytes("/v1/datasets?name=shapes&format=images", "application/zip", shapes(12)).json().getString("id");
    String job = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset).put("model", "shapes")
        .put("task", "classification").put("architecture", "cnn")
        .put("hyperparameters", new JsonObject().put("epochs", 2).put("conv_channels", new JsonArray().add(4).add(8))).put("seed", 3))
        .json().getString("id");
    JsonObject done = Eventually.until(() -> owner.get("/v1/training-jobs/" + job).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), SLOW);
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    Api.Response deployed = owner.post("/v1/models/shapes/deployment", new JsonObject().put("version", 1));
    assertTrue(deployed.status() < 300, deployed::toString);

    byte[] square = png("square", new Random(5));
    Path file = Files.write(Files.createTempDirectory("explain").resolve("square.png"), square);
    browser.open("/console/models?name=shapes");
    browser.awaitPage("Models");
    new WebDriverWait(browser.driver(), SLOW)
        .until(d -> d.findElement(By.cssSelector("[data-testid=deployment-state]")).getText().contains("ready"));
    browser.await(By.cssSelector("main input[type=file]")).sendKeys(file.toString());
    click("Predict");
    String label = browser.await(By.cssSelector("[data-testid=predicted-label]")).getText();
    click("Explain this prediction");
    WebElement saliency = new WebDriverWait(browser.driver(), SLOW)
        .until(d -> d.findElement(By.cssSelector("[data-testid=saliency]")));

    JsonObject expected = owner.post("/v1/models/shapes/explain", new JsonObject().put("instances",
        new JsonArray().add(new JsonObject().put("b64", Base64.getEncoder().encodeToString(square))))).json()
        .getJsonArray("explanations").getJsonObject(0);
    assertEquals(label, expected.getString("target"));
    assertEquals(label, browser.driver().findElement(By.cssSelector("[data-testid=explained-target]")).getText());
    BufferedImage map = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(expected.getString("saliency_png"))));
    new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
        .until(d -> ((Number) browser.script("return arguments[0].naturalWidth", saliency)).intValue() > 0);
    assertEquals(map.getWidth(), ((Number) browser.script("return arguments[0].naturalWidth", saliency)).intValue());
    assertEquals(map.getHeight(), ((Number) browser.script("return arguments[0].naturalHeight", saliency)).intValue());
    // The image that was sent sits beside its map.
    assertEquals(2, browser.driver().findElements(By.cssSelector("[data-testid=explanation] .saliency img")).size());
    browser.checkAndCapture("models-explain-image");
  }

  /** Filled circles and squares of random size and place, 28x28 PNGs in class folders of a zip. */
  private static byte[] shapes(int perClass) {
    Random random = new Random(3);
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      for (String shape : new String[] {"circle", "square"}) {
        for (int i = 0; i < perClass; i++) {
          out.putNextEntry(new ZipEntry(shape + "/" + i + ".png"));
          out.write(png(shape, random));
          out.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return zip.toByteArray();
  }

  private static byte[] png(String shape, Random random) {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 28, 28);
    g.setColor(Color.BLACK);
    int size = 10 + random.nextInt(10);
    int x = random.nextInt(28 - size);
    int y = random.nextInt(28 - size);
    if (shape.equals("circle")) {
      g.fillOval(x, y, size, size);
    } else {
      g.fillRect(x, y, size, size);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void click(String buttonText) {
    browser.driver().findElement(By.xpath("//main//button[normalize-space()='" + buttonText + "']")).click();
  }
}
