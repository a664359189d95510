package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.SyntheticCsv;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's evaluation pages for the richer metrics of issue 15, in a real headless Chromium
 * against the real platform: two binary classifier versions trained through the API are compared
 * side by side with their ROC and PR curves overlaid, the job page names the registered best
 * epoch, and the training form offers the data-preparation fields only where they apply.
 */
class ConsoleModelCompareIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final Duration SLOW = Duration.ofSeconds(180);

  private static ConsoleBrowser browser;
  private static TenantFixture acme;
  private static Api owner;

  @BeforeAll
  static void startBrowser() {
    acme = TenantFixture.create(app, "compare");
    owner = app.api().as(acme.ownerToken());
    browser = new ConsoleBrowser(app.uri("/"));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private static JsonObject train(String dataset, JsonObject spec) {
    String job = owner.post("/v1/training-jobs", spec.put("dataset_id", dataset).put("model", "churn")
        .put("task", "classification").put("label", "churned")).json().getString("id");
    JsonObject done = owner.awaitEnd("/v1/training-jobs/" + job, SLOW);
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    return done;
  }

  /** Two classes of four plain 28x28 PNGs each, white and black, as an image dataset's zip. */
  private static byte[] plainImages() throws IOException {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      for (String shade : List.of("white", "black")) {
        for (int i = 0; i < 4; i++) {
          BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
          Graphics2D g = image.createGraphics();
          g.setColor(shade.equals("white") ? Color.WHITE : Color.BLACK);
          g.fillRect(0, 0, 28, 28);
          g.dispose();
          out.putNextEntry(new ZipEntry(shade + "/" + i + ".png"));
          ImageIO.write(image, "png", out);
          out.closeEntry();
        }
      }
    }
    return zip.toByteArray();
  }

  /**
   * Verifies that the comparison view shows each picked version's ROC AUC and PR AUC as the API
   * reports them and draws both curves with a legend naming both versions, that the job page names
   * the best epoch the API reports, and that the training form offers the split (stratified by
   * default) and class weights for an image dataset but not the folds, hides the split and class
   * weights for regression and sends the folds (the API's refusal of 2 folds shown beside the field).
   */
  @Test
  void comparesTwoBinaryClassifierVersions() throws IOException {
    String dataset = owner.uploadCsv("noisy", SyntheticCsv.noisyChurn(160, 11));
    train(dataset, new JsonObject().put("architecture", "linear")
        .put("hyperparameters", new JsonObject().put("epochs", 3).put("learning_rate", 0.001)).put("seed", 1));
    JsonObject second = train(dataset, new JsonObject().put("architecture", "mlp").put("class_weight", "balanced")
        .put("cv_folds", 3).put("hyperparameters", new JsonObject().put("epochs", 12).put("patience", 2)).put("seed", 2));
    JsonObject model = owner.get("/v1/models/churn").json();

    browser.signIn(acme.ownerEmail(), TenantFixture.PASSWORD);
    browser.awaitPage("Overview");

    // The job page names the epoch whose parameters were registered, and marks it on the loss chart.
    browser.open("/console/training?job=" + second.getString("id"));
    browser.awaitPage("Training");
    int bestEpoch = second.getJsonObject("result").getInteger("best_epoch");
    browser.awaitText(By.cssSelector("[data-testid=best-epoch]"), String.valueOf(bestEpoch));
    browser.await(By.cssSelector("main .chart[aria-label$='best epoch " + bestEpoch + " marked'] canvas"));
    browser.checkAndCapture("training-best-epoch");

    // Pick both versions in the comparison view.
    browser.open("/console/models?name=churn");
    browser.awaitPage("Models");
    browser.await(By.id("compare"));
    for (String key : List.of("churn:1", "churn:2")) {
      browser.driver().findElement(By.cssSelector("section[aria-labelledby=compare] input[value='" + key + "']")).click();
    }
    browser.await(By.cssSelector("[data-testid=compare-table]"));
    assertTrue(browser.driver().getCurrentUrl().contains("compare="), browser.driver().getCurrentUrl());

    List<Double> aucs = new ArrayList<>();
    for (Object v : model.getJsonArray("versions")) {
      JsonObject version = (JsonObject) v;
      String key = "churn:" + version.getInteger("version");
      JsonObject metrics = version.getJsonObject("metrics");
      for (String metric : List.of("roc_auc", "pr_auc", "log_loss")) {
        String shown = browser.driver().findElement(By.cssSelector("[data-testid=compare-table] td[data-metric='" + metric
            + "'][data-version='" + key + "']")).getDomAttribute("data-value");
        assertEquals(metrics.getDouble(metric), Double.parseDouble(shown), 1e-9, key + " " + metric);
      }
      aucs.add(metrics.getDouble("roc_auc"));
    }
    // Two different models, so the page cannot pass by showing one version's number twice.
    assertNotEquals(aucs.get(0), aucs.get(1));

    // The overlaid curves: a canvas per chart, each legend naming both versions.
    By charts = By.cssSelector("section[aria-labelledby=compare] .chart");
    new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(d -> d.findElements(charts).size() == 2
        && d.findElements(charts).stream().allMatch(c -> c.getDomAttribute("data-legend") != null
            && !c.findElements(By.tagName("canvas")).isEmpty()));
    for (WebElement chart : browser.driver().findElements(charts)) {
      String legend = chart.getDomAttribute("data-legend");
      assertTrue(legend.contains("churn v1") && legend.contains("churn v2"), legend);
    }
    // The second version was cross-validated: its mean ± std is compared too.
    assertTrue(browser.driver().findElement(By.cssSelector("[data-testid=compare-table]")).getText().contains("(cross-validated)"));
    browser.script("window.scrollTo(0, 0)");
    browser.checkAndCapture("models-compare");

    // The training form: split and weights for classification (images too), folds for CSV only,
    // no split or weights for regression.
    String images = owner.postBytes("/v1/datasets?name=shades&format=images", "application/zip", plainImages())
        .json().getString("id");
    browser.navigate("Training");
    new Select(browser.field("dataset_id")).selectByValue(images);
    new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
        .until(d -> d.findElements(By.cssSelector("main [name=cv_folds]")).isEmpty());
    assertEquals("stratified", new Select(browser.field("split")).getFirstSelectedOption().getDomAttribute("value"));
    assertEquals("none", new Select(browser.field("class_weight")).getFirstSelectedOption().getDomAttribute("value"));
    new Select(browser.field("dataset_id")).selectByValue(dataset);
    browser.await(By.cssSelector("main [name=class_weight]"));
    assertEquals("stratified", new Select(browser.field("split")).getFirstSelectedOption().getDomAttribute("value"));
    new Select(browser.field("task")).selectByValue("regression");
    new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
        .until(d -> d.findElements(By.cssSelector("main [name=class_weight], main [name=split]")).isEmpty());
    assertFalse(browser.driver().findElements(By.cssSelector("main [name=cv_folds]")).isEmpty());
    new Select(browser.field("task")).selectByValue("classification");
    new Select(browser.field("label")).selectByValue("churned");
    browser.field("model").sendKeys("churn");
    browser.field("cv_folds").sendKeys("2");
    browser.driver().findElement(By.xpath("//main//button[normalize-space()='Start training']")).click();
    String foldsError = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset).put("model", "churn")
            .put("task", "classification").put("label", "churned").put("cv_folds", 2)).json()
        .getJsonArray("errors").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("field").equals("cv_folds")).findFirst().orElseThrow().getString("message");
    browser.awaitText(By.xpath("//main//input[@name='cv_folds']/following-sibling::p[contains(@class,'field-error')]"), foldsError);
  }
}
