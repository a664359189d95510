package dev.aiaas.gateway.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Webhook targets on a platform with the default {@code AIAAS_WEBHOOK_ALLOW_PRIVATE=false}. */
class WebhookTargetIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static Api.Response save(Api owner, String url) {
    return owner.put("/v1/alerts", new JsonObject().put("thresholds", new JsonObject().put("predictions", 80)).put("webhook_url", url));
  }

  /**
   * Verifies that webhook URLs of other schemes, or of loopback, private, link-local and
   * unique-local addresses, are refused with a 400 naming {@code webhook_url} and change nothing,
   * while a public address is accepted.
   */
  @Test
  void internalTargetsAreRefused() {
    TenantFixture tenant = TenantFixture.create(app, "targets");
    Api owner = app.api().as(tenant.ownerToken());
    for (String url : new String[] {"ftp://example.com/hook", "http://127.0.0.1:8080/hook", "http://10.1.2.3/hook",
        "https://192.168.1.10/hook", "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data", "http://[::1]:9000/",
        "http://[fd00::1]/", "http://[fe80::1]/", "http://0.0.0.0/", "http://localhost:8080/", "http://[::ffff:127.0.0.1]/",
        "http://user:pass@example.com/", "not a url"}) {
      Api.Response refused = save(owner, url);
      assertEquals(400, refused.status(), url + " -> " + refused);
      JsonArray errors = refused.json().getJsonArray("errors");
      assertEquals("webhook_url", errors.getJsonObject(0).getString("field"), url + " -> " + refused);
    }
    assertEquals(new JsonObject(), owner.get("/v1/alerts").json().getJsonObject("thresholds"), "refused saves change nothing");

    Api.Response accepted = save(owner, "https://93.184.216.34/hooks/aiaas");
    assertEquals(200, accepted.status(), accepted.toString());
    assertEquals("https://93.184.216.34/hooks/aiaas", owner.get("/v1/alerts").json().getString("webhook_url"));
  }
}
