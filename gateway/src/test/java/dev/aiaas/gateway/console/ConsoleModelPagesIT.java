package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's machine-learning pages in a real headless Chromium against the real platform: an
 * owner uploads a CSV, trains on it, deploys the version and predicts from the try-it form, then
 * runs a batch prediction; a viewer sees the same pages without a control that changes anything.
 * Every page is checked with axe-core in light and dark and photographed for the README.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleModelPagesIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  /** Training and deployment run on a shared machine: patient, but bounded. */
  private static final Duration SLOW = Duration.ofSeconds(120);

  @TempDir
  static Path files;

  private static ConsoleBrowser browser;
  private static TenantFixture acme;
  private static Api owner;

  @BeforeAll
  static void startBrowser() {
    acme = TenantFixture.create(app, "acme");
    owner = app.api().as(acme.ownerToken());
    browser = new ConsoleBrowser(app.uri("/"));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  /** 40 rows where a low spend means churn: a few epochs learn it, so the job takes seconds. */
  private static String churnCsv() {
    StringBuilder csv = new StringBuilder("age,plan,spend,churned\n");
    for (int i = 0; i < 40; i++) {
      double spend = 5 + (i * 37 % 40);
      csv.append(20 + i).append(',').append(i % 3 == 0 ? "pro" : "free").append(',').append(spend).append(',')
          .append(spend < 25 ? "yes" : "no").append('\n');
    }
    return csv.toString();
  }

  private static Path write(String name, String content) throws IOException {
    return Files.writeString(files.resolve(name), content);
  }

  private WebElement field(String name) {
    return browser.driver().findElement(By.cssSelector("main [name='" + name + "']"));
  }

  private void type(String name, String value) {
    WebElement input = field(name);
    input.clear();
    input.sendKeys(value);
  }

  private void click(String buttonText) {
    browser.driver().findElement(By.xpath("//main//button[normalize-space()='" + buttonText + "']")).click();
  }

  private WebDriverWait slowWait() {
    return new WebDriverWait(browser.driver(), SLOW);
  }

  /**
   * Verifies that an owner uploads a CSV and sees the progress bar complete, sees a broken file's
   * line as the API reports it, starts a training job (the API's field error shown beside its
   * field first) and watches it reach 100 % with a curve point per epoch from the event stream,
   * deploys the version, gets the same prediction from the try-it form as from the API, and runs a
   * batch prediction to success.
   */
  @Test
  @Order(1)
  void ownerUploadsTrainsDeploysPredictsAndRunsABatch() throws IOException {
    browser.signIn(acme.ownerEmail(), TenantFixture.PASSWORD);
    browser.awaitPage("Overview");

    // Datasets: a refused file first, its line as the API gives it.
    browser.navigate("Datasets");
    String broken = "a,b\n1,2\n3,4,5\n";
    JsonObject refusal = owner.postRaw("/v1/datasets?name=broken-api&format=csv", "text/csv", broken).json()
        .getJsonArray("errors").getJsonObject(0);
    field("file").sendKeys(write("broken.csv", broken).toString());
    type("name", "broken");
    click("Upload");
    WebElement problems = browser.await(By.cssSelector("main [aria-label='Problems in the file']"));
    assertTrue(problems.getText().contains(refusal.getString("message")), problems.getText());
    assertTrue(problems.getText().contains(String.valueOf(refusal.getLong("line"))), problems.getText());

    field("file").sendKeys(write("churn.csv", churnCsv()).toString());
    type("name", "churn-data");
    click("Upload");
    browser.awaitText(By.cssSelector("[data-testid=upload-progress] label"), "Uploaded and validated");
    assertEquals("100", browser.driver().findElement(By.id("upload-bar")).getDomProperty("value"));
    browser.awaitText(By.id("dataset-detail"), "churn-data");
    browser.await(By.xpath("//h3[normalize-space()='First rows']"));
    browser.checkAndCapture("datasets");

    // Training: the label picker offers what suits the task; the API's field error sits beside its field.
    browser.navigate("Training");
    new Select(field("task")).selectByValue("regression");
    slowWait().until(d -> new Select(field("label")).getOptions().size() > 1);
    assertEquals(List.of("age", "spend"), new Select(field("label")).getOptions().stream().map(WebElement::getText).toList());
    new Select(field("task")).selectByValue("classification");
    new Select(field("label")).selectByValue("churned");
    type("model", "churn");
    type("hyperparameters.epochs", "0");
    click("Start training");
    String epochsError = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", datasetId("churn-data"))
            .put("model", "churn").put("task", "classification").put("label", "churned")
            .put("hyperparameters", new JsonObject().put("epochs", 0))).json()
        .getJsonArray("errors").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("field").equals("hyperparameters.epochs")).findFirst().orElseThrow().getString("message");
    browser.awaitText(By.xpath("//main//input[@name='hyperparameters.epochs']/following-sibling::p[contains(@class,'field-error')]"),
        epochsError);
    browser.checkAndCapture("training");

    type("hyperparameters.epochs", "5");
    type("hyperparameters.batch_size", "8");
    type("seed", "7");
    click("Start training");
    browser.await(By.cssSelector("[data-testid=job-progress]"));
    slowWait().until(d -> "100".equals(d.findElement(By.cssSelector("[data-testid=job-progress]")).getDomProperty("value")));
    browser.awaitText(By.id("job-title"), "succeeded");
    assertTrue(browser.driver().findElement(By.cssSelector("label[for=job-bar]")).getText().contains("Epoch 5 of 5"));
    // The curves are fed by the event stream only: one table row per epoch it delivered.
    assertEquals(5, browser.driver().findElements(By.cssSelector("main [aria-label=Epochs] tbody tr")).size());
    assertEquals(2, browser.driver().findElements(By.cssSelector("main .chart canvas")).size());
    browser.checkAndCapture("training-job");

    // Models: deploy, then the try-it form answers what the API answers.
    browser.navigate("Models");
    // The overview may have cached the list from before the model existed: wait for the refetch.
    browser.await(By.linkText("churn")).click();
    browser.await(By.id("deployment"));
    browser.await(By.xpath("//h3[normalize-space()='Confusion matrix']"));
    click("Deploy");
    slowWait().until(d -> d.findElement(By.cssSelector("[data-testid=deployment-state]")).getText().contains("ready"));
    browser.await(By.id("try-it"));
    WebElement age = browser.await(By.cssSelector("input[data-input=age]"));
    age.sendKeys("33");
    browser.driver().findElement(By.cssSelector("input[data-input=plan]")).sendKeys("pro");
    browser.driver().findElement(By.cssSelector("input[data-input=spend]")).sendKeys("12.5");
    click("Predict");
    String label = browser.await(By.cssSelector("[data-testid=predicted-label]")).getText();
    JsonObject expected = owner.post("/v1/models/churn/predict", new JsonObject().put("instances",
        new JsonArray().add(new JsonObject().put("age", 33).put("plan", "pro").put("spend", 12.5)))).json()
        .getJsonArray("predictions").getJsonObject(0);
    assertEquals(expected.getString("label"), label);
    for (String cls : expected.getJsonObject("probabilities").fieldNames()) {
      String shown = browser.driver().findElement(By.cssSelector("[data-testid='probability-" + cls + "']")).getDomAttribute("data-value");
      assertEquals(expected.getJsonObject("probabilities").getDouble(cls), Double.parseDouble(shown), 1e-9, cls);
    }
    assertTrue(browser.driver().findElement(By.cssSelector("pre.curl")).getText().contains("/v1/models/churn/predict"));
    browser.screenshot("models-try-it");
    browser.script("window.scrollTo(0, 0)");
    browser.checkAndCapture("models");

    // Batch predictions: submit, follow, and the finished job offers its CSV.
    browser.navigate("Batch predictions");
    new Select(field("dataset_id")).selectByVisibleText("churn-data");
    click("Run batch prediction");
    slowWait().until(d -> d.findElements(By.xpath("//main//tr[contains(., 'succeeded')]//button[starts-with(normalize-space(), 'Download CSV')]"))
        .size() == 1);
    browser.checkAndCapture("batch");
  }

  private static String datasetId(String name) {
    return owner.get("/v1/datasets").data().stream().map(JsonObject.class::cast).filter(d -> d.getString("name").equals(name))
        .findFirst().orElseThrow().getString("id");
  }

  /** Verifies that a viewer sees datasets, jobs, models and batch predictions but no control that changes them. */
  @Test
  @Order(2)
  void viewerSeesNoChangingControl() {
    signOutIfSignedIn();
    browser.signIn("viewer@" + acme.name() + ".test", TenantFixture.PASSWORD);
    browser.awaitPage("Overview");
    String job = owner.get("/v1/training-jobs").data().getJsonObject(0).getString("id");

    for (String[] page : new String[][] {{"/console/datasets?id=" + datasetId("churn-data"), "Datasets"},
        {"/console/training?job=" + job, "Training"}, {"/console/models?name=churn", "Models"},
        {"/console/batch", "Batch predictions"}}) {
      browser.open(page[0]);
      browser.awaitPage(page[1]);
      browser.awaitGone(By.cssSelector("[role=status].loading"));
      List<String> buttons = browser.driver().findElements(By.cssSelector("main button")).stream().map(WebElement::getText)
          // Downloading a result reads it; it changes nothing.
          .filter(text -> !text.startsWith("Download CSV")).toList();
      assertTrue(buttons.isEmpty(), page[0] + " offers " + buttons);
      assertTrue(browser.driver().findElements(By.cssSelector("main form, main input[type=file]")).isEmpty(), page[0] + " offers a form");
    }
    browser.open("/console/models?name=churn");
    browser.awaitPage("Models");
    browser.await(By.cssSelector("[data-testid=deployment-state]"));
    assertTrue(browser.driver().findElements(By.id("try-it")).isEmpty(), "a viewer may not predict");
  }

  private void signOutIfSignedIn() {
    browser.open("/console/");
    // The page first restores the session from the cookie: wait until it decided either way.
    browser.await(By.cssSelector("#signin-title, nav[aria-label=Main]"));
    List<WebElement> signOut = browser.driver().findElements(By.xpath("//button[normalize-space()='Sign out']"));
    if (!signOut.isEmpty()) {
      signOut.get(0).click();
      browser.await(By.id("signin-title"));
    }
  }

  /** What sticks out past the window's right edge, to name in a failure. */
  private Object overflowing() {
    return browser.script("return document.documentElement.scrollWidth + ' wide: ' + [...document.querySelectorAll('body *')]"
        + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        + ".slice(-8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
  }

  private void signInAsOwnerAgain() {
    signOutIfSignedIn();
    browser.signIn(acme.ownerEmail(), TenantFixture.PASSWORD);
    browser.awaitPage("Overview");
  }

  /** Verifies that the owner's pages, forms included, fit a 390 px wide phone without sideways scrolling. */
  @Test
  @Order(3)
  void pagesFitAPhone() {
    signInAsOwnerAgain();
    String job = owner.get("/v1/training-jobs").data().getJsonObject(0).getString("id");
    browser.size(ConsoleBrowser.PHONE);
    List<String> tooWide = new ArrayList<>();
    try {
      for (String[] page : new String[][] {{"/console/datasets?id=" + datasetId("churn-data"), "Datasets"},
          {"/console/training", "Training"}, {"/console/training?job=" + job, "Training"},
          {"/console/models?name=churn", "Models"}, {"/console/batch", "Batch predictions"}}) {
        browser.open(page[0]);
        browser.awaitPage(page[1]);
        browser.awaitGone(By.cssSelector("[role=status].loading"));
        if (!browser.fitsWidth()) {
          tooWide.add(page[0] + ": " + overflowing());
        }
      }
      assertTrue(tooWide.isEmpty(), "scroll sideways at 390 px: " + tooWide);
      browser.screenshot("batch-phone");
    } finally {
      browser.size(ConsoleBrowser.DESKTOP);
    }
  }

  /**
   * Verifies that an upload shows its progress while the bytes go out, and that cancelling it
   * stops it and keeps nothing: the upload is slowed down so there is time to press cancel.
   */
  @Test
  @Order(4)
  void cancelledUploadKeepsNothing() throws IOException {
    signInAsOwnerAgain();
    browser.navigate("Datasets");
    StringBuilder big = new StringBuilder("x,y\n");
    for (int i = 0; big.length() < 400_000; i++) {
      big.append(i).append(',').append(i % 7).append('\n');
    }
    browser.driver().executeCdpCommand("Network.enable", Map.of());
    browser.driver().executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
        "downloadThroughput", -1, "uploadThroughput", 40_000));
    try {
      field("file").sendKeys(write("big.csv", big.toString()).toString());
      type("name", "never-kept");
      click("Upload");
      slowWait().until(d -> {
        double value = Double.parseDouble(d.findElement(By.id("upload-bar")).getDomProperty("value"));
        return value > 0 && value < 100;
      });
      click("Cancel upload");
      browser.awaitText(By.cssSelector("[data-testid=upload-progress] label"), "Upload cancelled");
    } finally {
      browser.driver().executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
          "downloadThroughput", -1, "uploadThroughput", -1));
    }
    assertTrue(owner.get("/v1/datasets").data().stream().map(JsonObject.class::cast).noneMatch(d -> d.getString("name").equals("never-kept")));
  }
}
