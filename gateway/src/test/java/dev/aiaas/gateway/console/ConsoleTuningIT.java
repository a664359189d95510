package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.SyntheticCsv;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's tuning page (issue 15) in a real headless Chromium against the real platform: a
 * small random search started from the form, followed live until it ends, its best trial and the
 * registered version shown as the API reports them, and that version's feature importance chart.
 */
class ConsoleTuningIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final Duration SLOW = Duration.ofSeconds(300);

  private static ConsoleBrowser browser;
  private static TenantFixture acme;
  private static Api owner;

  @BeforeAll
  static void startBrowser() {
    acme = TenantFixture.create(app, "tuning");
    owner = app.api().as(acme.ownerToken());
    browser = new ConsoleBrowser(app.uri("/"));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  /**
   * Verifies that the tuning form shows the API's refusal of a search-space range beside its row,
   * that a random search started from the form is followed until it ends with the best trial and
   * its objective marked as `GET /v1/tuning-jobs/{id}` reports them, that the objective chart is
   * drawn with that trial marked, that the registered version is linked, and that its page draws
   * the version's permutation importance in the API's order and values; and that a running search
   * shows its trials live and is cancelled from the page after confirming.
   */
  @Test
  void startsAndFollowsARandomSearch() {
    String dataset = owner.uploadCsv("noisy", SyntheticCsv.noisyChurn(120, 5));

    browser.signIn(acme.ownerEmail(), TenantFixture.PASSWORD);
    browser.awaitPage("Overview");
    browser.navigate("Tuning");
    new Select(browser.field("dataset_id")).selectByValue(dataset);
    new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
        .until(d -> !d.findElements(By.cssSelector("main select[name=label] option[value=churned]")).isEmpty());
    new Select(browser.field("label")).selectByValue("churned");
    assertEquals("f1_macro", new Select(browser.field("objective")).getFirstSelectedOption().getDomAttribute("value"));
    browser.field("model").sendKeys("churn");
    browser.retype("max_trials", "3");
    browser.retype("seed", "3");
    browser.retype("search_space.epochs", "1, 2");

    // A log-uniform range must start above 0: the API's words appear beside that row.
    browser.retype("search_space.learning_rate", "0, 0.1");
    browser.driver().findElement(By.xpath("//main//button[normalize-space()='Start tuning']")).click();
    JsonArray errors = owner.post("/v1/tuning-jobs", new JsonObject().put("dataset_id", dataset).put("model", "churn")
        .put("task", "classification").put("label", "churned").put("search_space", new JsonObject()
            .put("learning_rate", new JsonObject().put("log_uniform", new JsonArray().add(0).add(0.1))))).json()
        .getJsonArray("errors");
    String rangeError = errors.stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("field").equals("search_space.learning_rate")).findFirst().orElseThrow().getString("message");
    browser.awaitText(By.xpath("//main//input[@name='search_space.learning_rate']/following-sibling::p[contains(@class,'field-error')]"),
        rangeError);

    browser.retype("search_space.learning_rate", "0.001, 0.1");
    browser.driver().findElement(By.xpath("//main//button[normalize-space()='Start tuning']")).click();
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("job="));
    String id = browser.driver().getCurrentUrl().replaceAll(".*job=([0-9a-f-]+).*", "$1");

    JsonObject done = owner.awaitEnd("/v1/tuning-jobs/" + id, SLOW);
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    assertEquals(3, done.getJsonArray("trials").size());
    JsonObject best = done.getJsonObject("best_trial");
    int bestTrial = best.getInteger("trial");

    // The page ends with the job: the registered version linked, the API's best trial marked.
    JsonObject result = done.getJsonObject("result");
    browser.awaitText(By.cssSelector("[data-testid=registered-version]"), "churn version " + result.getInteger("version"));
    assertTrue(browser.driver().findElement(By.cssSelector("[data-testid=registered-version]")).getDomAttribute("href")
        .endsWith("/models?name=churn"));
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
        .until(d -> d.findElements(By.cssSelector("[data-testid=trials-table] tbody tr")).size() == 3);
    WebElement bestRow = browser.driver().findElement(By.cssSelector("[data-testid=trials-table] tr[data-best=true]"));
    assertEquals(String.valueOf(bestTrial), bestRow.getDomAttribute("data-trial"));
    assertTrue(bestRow.getText().contains("best"), bestRow.getText());
    String shown = bestRow.findElement(By.cssSelector("td[data-objective]")).getDomAttribute("data-objective");
    assertEquals(best.getDouble("objective"), Double.parseDouble(shown), 1e-9);
    assertEquals(result.getDouble("value"), best.getDouble("objective"), 1e-9);
    for (Object t : done.getJsonArray("trials")) {
      JsonObject trial = (JsonObject) t;
      String state = browser.driver().findElement(By.cssSelector("[data-testid=trials-table] tr[data-trial='"
          + trial.getInteger("trial") + "']")).getText();
      assertTrue(state.contains(trial.getString("state")), state);
    }

    browser.await(By.cssSelector("main .chart[aria-label$='best trial " + bestTrial + " marked'] canvas"));
    browser.checkAndCapture("tuning");

    // The registered version's page draws its permutation importance, column by column as the API has it.
    browser.driver().findElement(By.cssSelector("[data-testid=registered-version]")).click();
    browser.awaitPage("Models");
    JsonArray importance = owner.get("/v1/models/churn").json().getJsonArray("versions").getJsonObject(0)
        .getJsonObject("metrics").getJsonArray("feature_importance");
    assertEquals(2, importance.size(), importance.encode());
    browser.await(By.cssSelector("main .chart[aria-label^='Feature importance'] canvas"));
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("[data-testid=feature-importance] tbody tr"));
    assertEquals(importance.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonObject expected = importance.getJsonObject(i);
      assertEquals(expected.getString("feature"), rows.get(i).getDomAttribute("data-feature"));
      assertEquals(expected.getDouble("importance"), Double.parseDouble(rows.get(i).getDomAttribute("data-importance")), 1e-9);
    }
    browser.checkAndCapture("models-feature-importance");

    // A long search, followed live and cancelled after confirming: it ends cancelled, registering nothing.
    String slow = owner.post("/v1/tuning-jobs", new JsonObject().put("dataset_id", dataset).put("model", "slow")
        .put("task", "classification").put("label", "churned").put("max_trials", 20)
        .put("hyperparameters", new JsonObject().put("epochs", 500))
        .put("search_space", new JsonObject().put("learning_rate",
            new JsonObject().put("log_uniform", new JsonArray().add(0.001).add(0.1))))).json().getString("id");
    browser.open("/console/tuning?job=" + slow);
    browser.awaitPage("Tuning");
    browser.await(By.cssSelector("[data-testid=trials-table] tr[data-trial='0']"));
    browser.driver().findElement(By.xpath("//main//button[normalize-space()='Cancel tuning']")).click();
    browser.await(By.cssSelector("[role=alertdialog]")).findElement(By.xpath(".//button[normalize-space()='Cancel tuning']")).click();
    JsonObject cancelled = owner.awaitEnd("/v1/tuning-jobs/" + slow, SLOW);
    assertEquals("cancelled", cancelled.getString("state"), cancelled.encodePrettily());
    browser.awaitText(By.cssSelector("main #tuning-title .badge"), "cancelled");
    assertEquals(404, owner.get("/v1/models/slow").status());
  }
}
