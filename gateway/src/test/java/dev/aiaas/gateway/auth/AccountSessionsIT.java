package dev.aiaas.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verifies that a user sees their own sessions, ends one of them, or signs out everywhere. */
class AccountSessionsIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";

  /** Signs in with a User-Agent; returns the token pair. */
  private static JsonObject login(String email, String userAgent) {
    HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/v1/auth/login"))
        .header("Content-Type", "application/json").header("User-Agent", userAgent)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("email", email).put("password", TenantFixture.PASSWORD).encode())));
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static JsonArray sessions(String accessToken) {
    Api.Response list = app.api().as(accessToken).get("/v1/auth/sessions");
    assertEquals(200, list.status(), list.toString());
    return list.data();
  }

  private static JsonObject byCurrent(JsonArray sessions, boolean current) {
    return sessions.stream().map(JsonObject.class::cast).filter(s -> s.getBoolean("current") == current).findFirst().orElseThrow();
  }

  /** Verifies that sessions are listed with device, address and times, and that revoking one ends its access token at once. */
  @Test
  void listsAndRevokesOwnSessions() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    JsonObject laptop = login(acme.ownerEmail(), FIREFOX);
    JsonObject script = login(acme.ownerEmail(), "curl/8.4.0");
    String laptopToken = laptop.getString("access_token");
    String scriptToken = script.getString("access_token");

    JsonArray seen = sessions(laptopToken);
    // The fixture's own sign-in is a session too.
    assertEquals(3, seen.size(), seen.encodePrettily());
    JsonObject current = byCurrent(seen, true);
    assertEquals("Firefox on Linux", current.getString("device"));
    assertEquals(FIREFOX, current.getString("user_agent"));
    assertEquals("127.0.0.1", current.getString("ip"));
    assertNotNull(current.getString("created_at"));
    assertEquals(1, seen.stream().map(JsonObject.class::cast).filter(s -> s.getBoolean("current")).count());
    JsonObject curl = seen.stream().map(JsonObject.class::cast).filter(s -> s.getString("device").equals("curl")).findFirst().orElseThrow();
    assertFalse(curl.getBoolean("current"));

    // A refresh moves last_used_at and keeps the session (same id).
    Api.Response refreshed = app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", script.getString("refresh_token")));
    assertEquals(200, refreshed.status(), refreshed.toString());
    JsonObject afterRefresh = byCurrent(sessions(refreshed.json().getString("access_token")), true);
    assertEquals(curl.getString("id"), afterRefresh.getString("id"));
    assertEquals(curl.getString("created_at"), afterRefresh.getString("created_at"));
    assertTrue(afterRefresh.getString("last_used_at").compareTo(curl.getString("last_used_at")) > 0, afterRefresh.encode());

    Api.Response revoked = app.api().as(laptopToken).delete("/v1/auth/sessions/" + curl.getString("id"));
    assertEquals(204, revoked.status(), revoked.toString());
    assertEquals(401, app.api().as(scriptToken).get("/v1/tenant").status(), "the revoked session's access token is refused at once");
    assertEquals(401, app.api().as(refreshed.json().getString("access_token")).get("/v1/tenant").status());
    assertEquals(401, app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", refreshed.json().getString("refresh_token")))
        .status(), "and so is its refresh token");
    assertEquals(200, app.api().as(laptopToken).get("/v1/tenant").status(), "the caller's session goes on");
    assertEquals(2, sessions(laptopToken).size());
    assertEquals(404, app.api().as(laptopToken).delete("/v1/auth/sessions/" + curl.getString("id")).status(), "already ended");

    Api.Response audited = app.api().as(laptopToken).get("/v1/audit?action=session.revoked");
    assertEquals(1, audited.data().size(), audited.toString());
  }

  /** Verifies that another user's session (even in the same tenant) and unknown ids are 404, and API keys get 403. */
  @Test
  void anotherUsersSessionIsNotFound() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    TenantFixture globex = TenantFixture.create(app, "globex");
    String developerSession = byCurrent(sessions(acme.developerToken()), true).getString("id");
    String globexSession = byCurrent(sessions(globex.ownerToken()), true).getString("id");

    Api owner = app.api().as(acme.ownerToken());
    assertEquals(404, owner.delete("/v1/auth/sessions/" + developerSession).status());
    assertEquals(404, owner.delete("/v1/auth/sessions/" + globexSession).status());
    assertEquals(404, owner.delete("/v1/auth/sessions/" + UUID.randomUUID()).status());
    assertEquals(400, owner.delete("/v1/auth/sessions/nope").status());
    assertEquals(200, app.api().as(acme.developerToken()).get("/v1/tenant").status(), "nothing ended");
    assertEquals(200, app.api().as(globex.ownerToken()).get("/v1/tenant").status());
    assertTrue(sessions(acme.ownerToken()).stream().map(JsonObject.class::cast)
        .noneMatch(s -> s.getString("id").equals(developerSession)), "one sees only one's own sessions");

    assertEquals(403, app.api().as(acme.key()).get("/v1/auth/sessions").status());
    assertEquals(403, app.api().as(acme.key()).post("/v1/auth/logout-all", new JsonObject()).status());
    assertEquals(401, app.api().get("/v1/auth/sessions").status());
  }

  /** Verifies that signing out everywhere ends every session of the account, the current one included, and no one else's. */
  @Test
  void logoutAllEndsEverySession() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    JsonObject laptop = login(acme.ownerEmail(), FIREFOX);
    JsonObject phone = login(acme.ownerEmail(), "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1");

    HttpResponse<String> out = app.send(HttpRequest.newBuilder(app.uri("/v1/auth/logout-all"))
        .header("Authorization", "Bearer " + laptop.getString("access_token")).POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(204, out.statusCode(), out.body());
    assertTrue(out.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"), out.headers().map().toString());

    for (String token : new String[] {laptop.getString("access_token"), phone.getString("access_token"), acme.ownerToken()}) {
      assertEquals(401, app.api().as(token).get("/v1/tenant").status());
    }
    assertEquals(401, app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", phone.getString("refresh_token"))).status());
    assertEquals(200, app.api().as(acme.developerToken()).get("/v1/tenant").status(), "other users stay signed in");

    String again = app.api().login(acme.ownerEmail(), TenantFixture.PASSWORD);
    assertEquals(1, sessions(again).size(), "only the new sign-in is alive");
    Api.Response audited = app.api().as(again).get("/v1/audit?action=logout_all");
    assertEquals(1, audited.data().size(), audited.toString());
    assertEquals(3, audited.data().getJsonObject(0).getJsonObject("details").getInteger("sessions_ended"));
  }
}
