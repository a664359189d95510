package dev.aiaas.gateway.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The usage API over the rollups: by metric, by key, hourly and daily; bad parameters are 400. */
class UsageApiIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  /** Verifies that API-key calls show up per metric, per key and per hour, and only for their tenant. */
  @Test
  void usageSeries() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    TenantFixture other = TenantFixture.create(app, "other");
    String second = app.api().as(acme.ownerToken()).post("/v1/keys",
        new JsonObject().put("name", "second").put("scopes", new JsonArray().add("read"))).json().getString("key");
    for (int i = 0; i < 7; i++) {
      assertEquals(200, app.api().as(acme.key()).get("/v1/whoami").status());
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(200, app.api().as(second).get("/v1/whoami").status());
    }
    assertEquals(200, app.api().as(other.key()).get("/v1/whoami").status());
    Api owner = app.api().as(acme.ownerToken());

    JsonObject byMetric = owner.get("/v1/usage").json();
    assertEquals("day", byMetric.getString("granularity"));
    JsonArray series = byMetric.getJsonArray("series");
    assertEquals(1, series.size(), series.encode());
    assertEquals("api_calls", series.getJsonObject(0).getString("metric"));
    assertEquals("10", series.getJsonObject(0).getJsonArray("points").getJsonObject(0).getString("quantity"));

    JsonArray byKey = owner.get("/v1/usage?group_by=key&granularity=hour").json().getJsonArray("series");
    assertEquals(2, byKey.size());
    JsonObject first = byKey.stream().map(JsonObject.class::cast).filter(s -> s.getString("api_key_id").equals(acme.keyId())).findFirst().orElseThrow();
    assertEquals("7", first.getJsonArray("points").getJsonObject(0).getString("quantity"));
    assertEquals(Instant.now().truncatedTo(ChronoUnit.HOURS).toString(), first.getJsonArray("points").getJsonObject(0).getString("start"));
  }

  /** Verifies that invalid parameters are refused with 400 naming the problem. */
  @Test
  void badParameters() {
    TenantFixture beta = TenantFixture.create(app, "beta");
    Api owner = app.api().as(beta.ownerToken());

    assertEquals(400, owner.get("/v1/usage?granularity=minute").status());
    assertEquals(400, owner.get("/v1/usage?group_by=colour").status());
    assertEquals(400, owner.get("/v1/usage?from=yesterday").status());
    Api.Response reversed = owner.get("/v1/usage?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z");
    assertEquals(400, reversed.status());
    assertTrue(reversed.json().getString("detail").contains("before"));
    assertEquals(400, owner.get("/v1/usage?granularity=hour&from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z").status());
  }
}
