package dev.aiaas.gateway.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TenancySmokeIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  /** Verifies that an operator can set up a tenant whose owner and key both reach the tenant API. */
  @Test
  void tenantSetUpEndToEnd() {
    TenantFixture acme = TenantFixture.create(app, "acme", "free");

    assertEquals(acme.name(), app.api().as(acme.ownerToken()).get("/v1/tenant").json().getString("name"));
    assertEquals(acme.name(), app.api().as(acme.key()).get("/v1/tenant").json().getString("name"));
    assertEquals("free", app.api().withApiKeyHeader(acme.key()).get("/v1/tenant").json().getJsonObject("plan").getString("name"));
  }
}
