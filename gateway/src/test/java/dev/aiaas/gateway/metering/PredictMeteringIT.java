package dev.aiaas.gateway.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.SignModel;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How a predict call with an API key is metered: the call and its predictions in one event write. */
class PredictMeteringIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;

  @BeforeAll
  static void deployedModel() {
    acme = TenantFixture.create(app, "acme");
    Api owner = app.api().as(acme.ownerToken());
    SignModel.train(owner, "signs");
    assertEquals(200, owner.post("/v1/models/signs/deployment", new JsonObject().put("version", 1)).status());
  }

  /**
   * Verifies that a predict of N instances yields exactly 1 API call and N predictions in usage,
   * written together (both events by one transaction, the predictions naming the model).
   */
  @Test
  void predictOfNInstancesIsOneCallAndNPredictionsInOneWrite() throws SQLException {
    // GIVEN a tenant that has not used anything yet
    Api key = app.api().as(acme.key());
    JsonArray instances = new JsonArray();
    for (int i = 0; i < 7; i++) {
      instances.add(new JsonObject().put("x", i - 3.5));
    }

    // WHEN it predicts 7 instances with its API key
    Api.Response answer = key.post("/v1/models/signs/predict", new JsonObject().put("instances", instances));
    assertEquals(200, answer.status(), answer.toString());
    assertEquals(7, answer.json().getJsonArray("predictions").size());

    // THEN usage says 1 api call and 7 predictions, through the API ...
    Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    JsonObject usage = app.api().as(acme.ownerToken()).get("/v1/usage?from=" + today.minus(Duration.ofDays(1)) + "&to="
        + today.plus(Duration.ofDays(2)) + "&granularity=day&group_by=metric").json();
    Map<String, BigDecimal> totals = new HashMap<>();
    usage.getJsonArray("series").forEach(s -> ((JsonObject) s).getJsonArray("points").forEach(p -> totals.merge(
        ((JsonObject) s).getString("metric"), new BigDecimal(((JsonObject) p).getString("quantity")), BigDecimal::add)));
    assertEquals(0, BigDecimal.ONE.compareTo(totals.get("api_calls")), totals.toString());
    assertEquals(0, BigDecimal.valueOf(7).compareTo(totals.get("predictions")), totals.toString());

    // ... and in the events: one of each, written by the same transaction
    try (Connection c = DriverManager.getConnection(app.database().jdbcUrl(), app.database().user(), app.database().password());
        PreparedStatement q = c.prepareStatement("SELECT metric, quantity, model, xmin::text FROM usage_events"
            + " WHERE tenant_id = ?::uuid AND api_key_id IS NOT NULL ORDER BY metric")) {
      q.setString(1, acme.id());
      try (ResultSet rows = q.executeQuery()) {
        Map<String, BigDecimal> events = new HashMap<>();
        Set<String> transactions = new HashSet<>();
        int n = 0;
        while (rows.next()) {
          n++;
          events.put(rows.getString("metric"), rows.getBigDecimal("quantity"));
          transactions.add(rows.getString(4));
          if ("predictions".equals(rows.getString("metric"))) {
            assertEquals("signs", rows.getString("model"));
          }
        }
        assertEquals(2, n, "one api_calls and one predictions event: " + events);
        assertEquals(0, BigDecimal.ONE.compareTo(events.get("api_calls")));
        assertEquals(0, BigDecimal.valueOf(7).compareTo(events.get("predictions")));
        assertEquals(1, transactions.size(), "written by one transaction: " + transactions);
      }
    }
  }
}
