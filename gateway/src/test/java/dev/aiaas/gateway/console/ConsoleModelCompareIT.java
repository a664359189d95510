package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
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

  /** 160 rows where the label follows a noisy score of two features: neither version is perfect. */
  private static String noisyCsv() {
    Random random = new Random(11);
    StringBuilder csv = new StringBuilder("a,b,churned\n");
    for (int i = 0; i < 160; i++) {
      double a = random.nextGaussian();
      double b = random.nextGaussian();
      boolean churned = a + 0.5 * b + random.nextGaussian() * 0.8 > 0.3;
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", a, b, churned ? "yes" : "no"));
    }
    return csv.toString();
  }

  private static JsonObject train(String dataset, JsonObject spec) {
    String job = owner.post("/v1/training-jobs", spec.put("dataset_id", dataset).put("model", "churn")
        .put("task", "classification").put("label", "churned")).json().getString("id");
    JsonObject done = Eventually.until(() -> owner.get("/v1/training-jobs/" + job).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), SLOW);
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    return done;
  }

  private WebElement field(String name) {
    return browser.driver().findElement(By.cssSelector("main [name='" + name + "']"));
  }

  /**
   * Verifies that the comparison view shows each picked version's ROC AUC and PR AUC as the API
   * reports them and draws both curves with a legend naming both versions, that the job page names
   * the best epoch the API reports, and that the training form hides the split and class weights
   * for regression and sends the folds (the API's refusal of 2 folds shown beside the field).
   */
  @Test
  void comparesTwoBinaryClassifierVersions() {
    String dataset = owner.postBytes("/v1/datasets?name=noisy&format=csv", "text/csv",
        noisyCsv().getBytes(StandardCharsets.UTF_8)).json().getString("id");
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

    // The training form: data preparation for CSV classification, no split or weights for regression.
    browser.navigate("Training");
    new Select(field("dataset_id")).selectByValue(dataset);
    browser.await(By.cssSelector("main [name=class_weight]"));
    assertEquals("stratified", new Select(field("split")).getFirstSelectedOption().getDomAttribute("value"));
    new Select(field("task")).selectByValue("regression");
    new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
        .until(d -> d.findElements(By.cssSelector("main [name=class_weight], main [name=split]")).isEmpty());
    assertFalse(browser.driver().findElements(By.cssSelector("main [name=cv_folds]")).isEmpty());
    new Select(field("task")).selectByValue("classification");
    new Select(field("label")).selectByValue("churned");
    field("model").sendKeys("churn");
    field("cv_folds").sendKeys("2");
    browser.driver().findElement(By.xpath("//main//button[normalize-space()='Start training']")).click();
    String foldsError = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset).put("model", "churn")
            .put("task", "classification").put("label", "churned").put("cv_folds", 2)).json()
        .getJsonArray("errors").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("field").equals("cv_folds")).findFirst().orElseThrow().getString("message");
    browser.awaitText(By.xpath("//main//input[@name='cv_folds']/following-sibling::p[contains(@class,'field-error')]"), foldsError);
  }
}
