package dev.aiaas.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Console sessions end everywhere: refresh-token reuse, logout and password change end the access
 * tokens of the sessions they end; and the browser's cookie flow (login with session_cookie,
 * refresh and logout through the HttpOnly cookie).
 */
class SessionsIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;

  @BeforeAll
  static void tenant() {
    acme = TenantFixture.create(app, "acme");
  }

  /** A request with raw headers (cookies), as a browser would send it. */
  private static HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path))
        .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return app.send(request);
  }

  private static JsonObject login(String email, String password) {
    Api.Response response = app.api().post("/v1/auth/login", new JsonObject().put("email", email).put("password", password));
    assertEquals(200, response.status(), response.toString());
    return response.json();
  }

  private static HttpResponse<String> cookieLogin(String email, String... headers) {
    return post("/v1/auth/login", new JsonObject().put("email", email).put("password", TenantFixture.PASSWORD)
        .put("session_cookie", true).encode(), headers);
  }

  /** The value of the aiaas_refresh cookie a response sets. */
  private static String cookieValue(HttpResponse<String> response) {
    String setCookie = setCookie(response);
    return setCookie.substring("aiaas_refresh=".length(), setCookie.indexOf(';'));
  }

  private static String setCookie(HttpResponse<String> response) {
    List<String> all = response.headers().allValues("Set-Cookie");
    assertEquals(1, all.size(), "one Set-Cookie in " + response.headers().map());
    assertTrue(all.get(0).startsWith("aiaas_refresh="), all.get(0));
    return all.get(0);
  }

  private static List<String> attributes(String setCookie) {
    return List.of(setCookie.split(";\\s*")).subList(1, setCookie.split(";\\s*").length);
  }

  private static int tenantStatus(String accessToken) {
    return app.api().as(accessToken).get("/v1/tenant").status();
  }

  /** Verifies that access tokens carry the session id, user, role and tenant claims. */
  @Test
  void accessTokensNameTheirSession() {
    JsonObject claims = TestJwt.claims(login(acme.ownerEmail(), TenantFixture.PASSWORD).getString("access_token"));

    assertNotNull(claims.getString("sid"));
    assertNotNull(claims.getString("sub"));
    assertEquals("owner", claims.getString("role"));
    assertEquals(acme.id(), claims.getString("tid"));
  }

  /** Verifies that reusing a rotated refresh token ends the access tokens of that login, not those of another login. */
  @Test
  void refreshTokenReuseEndsTheAccessTokens() {
    JsonObject first = login(acme.ownerEmail(), TenantFixture.PASSWORD);
    JsonObject other = login(acme.ownerEmail(), TenantFixture.PASSWORD);
    JsonObject rotated = app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", first.getString("refresh_token"))).json();
    // GIVEN both access tokens of the session work (and are cached as such)
    assertEquals(200, tenantStatus(first.getString("access_token")));
    assertEquals(200, tenantStatus(rotated.getString("access_token")));

    // WHEN the rotated refresh token is presented again
    Api.Response reuse = app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", first.getString("refresh_token")));

    // THEN every access token of that session is refused, another session is untouched
    assertEquals(401, reuse.status());
    Api.Response refused = app.api().as(rotated.getString("access_token")).get("/v1/tenant");
    assertEquals(401, refused.status());
    assertTrue(refused.json().getString("detail").contains("session has ended"), refused.toString());
    assertEquals(401, tenantStatus(first.getString("access_token")));
    assertEquals(200, tenantStatus(other.getString("access_token")));
  }

  /** Verifies that logout with the access token ends its refresh and access tokens, and clears the cookie. */
  @Test
  void logoutEndsTheSession() {
    JsonObject session = login(acme.ownerEmail(), TenantFixture.PASSWORD);
    JsonObject other = login(acme.ownerEmail(), TenantFixture.PASSWORD);
    assertEquals(200, tenantStatus(session.getString("access_token")));

    HttpResponse<String> logout = post("/v1/auth/logout", null, "Authorization", "Bearer " + session.getString("access_token"));

    assertEquals(204, logout.statusCode(), logout.body());
    assertTrue(setCookie(logout).startsWith("aiaas_refresh=;"), setCookie(logout));
    assertTrue(attributes(setCookie(logout)).contains("Max-Age=0"), setCookie(logout));
    assertEquals(401, tenantStatus(session.getString("access_token")));
    assertEquals(401, app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", session.getString("refresh_token"))).status());
    assertEquals(200, tenantStatus(other.getString("access_token")), "the user's other sessions go on");
    JsonObject audit = app.api().as(acme.ownerToken()).get("/v1/audit?limit=5").data().getJsonObject(0);
    assertEquals("logout", audit.getString("action"));
  }

  /** Verifies that logout without any credentials is a 401 problem that still clears the cookie. */
  @Test
  void logoutWithoutCredentials() {
    HttpResponse<String> anonymous = post("/v1/auth/logout", null);
    HttpResponse<String> badCookie = post("/v1/auth/logout", null, "Cookie", "aiaas_refresh=not-a-token");

    assertEquals(401, anonymous.statusCode());
    assertEquals("application/problem+json", anonymous.headers().firstValue("Content-Type").orElse(null));
    assertTrue(setCookie(anonymous).contains("Max-Age=0"));
    assertEquals(401, badCookie.statusCode());
    assertTrue(setCookie(badCookie).contains("Max-Age=0"));
  }

  /** Verifies that a login with session_cookie sets the HttpOnly, SameSite=Strict cookie and leaves the refresh token out of the body. */
  @Test
  void cookieLoginSetsTheCookie() {
    HttpResponse<String> response = cookieLogin(acme.ownerEmail());

    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertFalse(body.containsKey("refresh_token"), response.body());
    assertEquals("Bearer", body.getString("token_type"));
    assertEquals(900, body.getInteger("expires_in"));
    assertEquals(200, tenantStatus(body.getString("access_token")));
    List<String> attributes = attributes(setCookie(response));
    assertTrue(attributes.containsAll(List.of("HttpOnly", "SameSite=Strict", "Path=/v1/auth", "Max-Age=2592000")), attributes.toString());
    assertFalse(attributes.contains("Secure"), "plain http: a Secure cookie would never come back");
    assertFalse(cookieValue(response).isEmpty());
  }

  /** Verifies that the cookie is Secure when the browser used https (here: through a TLS-terminating proxy). */
  @Test
  void cookieIsSecureOverHttps() {
    HttpResponse<String> response = cookieLogin(acme.ownerEmail(), "X-Forwarded-Proto", "https");

    assertEquals(200, response.statusCode());
    assertTrue(attributes(setCookie(response)).contains("Secure"), setCookie(response));
  }

  /** Verifies that refresh with an empty body or {} uses the cookie, rotates it and keeps the refresh token out of the body. */
  @Test
  void refreshThroughTheCookie() {
    String first = cookieValue(cookieLogin(acme.ownerEmail()));

    HttpResponse<String> empty = post("/v1/auth/refresh", null, "Cookie", "aiaas_refresh=" + first);
    assertEquals(200, empty.statusCode(), empty.body());
    assertFalse(new JsonObject(empty.body()).containsKey("refresh_token"));
    assertEquals(200, tenantStatus(new JsonObject(empty.body()).getString("access_token")));
    String second = cookieValue(empty);
    assertNotEquals(first, second, "rotated");
    assertTrue(attributes(setCookie(empty)).containsAll(List.of("HttpOnly", "SameSite=Strict", "Path=/v1/auth")));

    HttpResponse<String> braces = post("/v1/auth/refresh", "{}", "Cookie", "aiaas_refresh=" + second);
    assertEquals(200, braces.statusCode(), braces.body());
    assertFalse(new JsonObject(braces.body()).containsKey("refresh_token"));

    HttpResponse<String> reused = post("/v1/auth/refresh", "{}", "Cookie", "aiaas_refresh=" + first);
    assertEquals(401, reused.statusCode(), "the first cookie was rotated away");
    assertTrue(setCookie(reused).contains("Max-Age=0"), "a dead cookie is cleared");
  }

  /** Verifies that refresh without a token in the body or a cookie is a 401 problem. */
  @Test
  void refreshWithoutAnyToken() {
    HttpResponse<String> none = post("/v1/auth/refresh", "{}");

    assertEquals(401, none.statusCode());
    assertEquals("unauthorized", new JsonObject(none.body()).getString("type").replace("urn:aiaas:problem:", ""));
    assertEquals(401, post("/v1/auth/refresh", null).statusCode());
  }

  /** Verifies that a browser whose access token expired signs out with the cookie alone, which ends the session. */
  @Test
  void logoutWithTheCookieOnly() {
    HttpResponse<String> login = cookieLogin(acme.ownerEmail());
    String access = new JsonObject(login.body()).getString("access_token");
    String cookie = cookieValue(login);

    HttpResponse<String> logout = post("/v1/auth/logout", null, "Cookie", "aiaas_refresh=" + cookie,
        "Authorization", "Bearer expired.or.garbage");

    assertEquals(204, logout.statusCode(), logout.body());
    assertTrue(setCookie(logout).contains("Max-Age=0"));
    assertEquals(401, tenantStatus(access), "the session's access token is dead");
    assertEquals(401, post("/v1/auth/refresh", null, "Cookie", "aiaas_refresh=" + cookie).statusCode());
  }

  /** Verifies that a program's login and refresh still answer the refresh token in the body and set no cookie. */
  @Test
  void programsGetNoCookie() {
    HttpResponse<String> login = post("/v1/auth/login",
        new JsonObject().put("email", acme.ownerEmail()).put("password", TenantFixture.PASSWORD).encode());

    assertEquals(200, login.statusCode());
    assertNotNull(new JsonObject(login.body()).getString("refresh_token"));
    assertNull(login.headers().firstValue("Set-Cookie").orElse(null));
  }
}
