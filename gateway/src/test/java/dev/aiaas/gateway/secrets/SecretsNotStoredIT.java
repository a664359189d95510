package dev.aiaas.gateway.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invariant 4 (secrets are never stored or logged in clear): after logins, refreshes, failed
 * logins, browser sessions (cookies), password changes, key creation, use and revocation, no password, API key, refresh token or access token
 * appears in any row of the database, in any log event or in any error answer.
 */
class SecretsNotStoredIT {

  @RegisterExtension
  @Order(1)
  static final LogCapture logs = new LogCapture();

  @RegisterExtension
  @Order(2)
  static final RunningPlatform app = new RunningPlatform();

  /** The kinds of secret, each with the forms it could be stored or logged in by mistake. */
  private enum Kind {
    PASSWORD, API_KEY, ACCESS_TOKEN, REFRESH_TOKEN
  }

  /** Every secret handled, with its kind (so a failure says which kind leaked, never printing it whole). */
  private static final Map<String, Kind> secrets = new LinkedHashMap<>();
  /** Answers to requests that carried secrets and were refused: they must not echo them. */
  private static final List<Api.Response> refusals = new ArrayList<>();
  private static int keysCreated;
  private static int refreshTokensIssued;

  @BeforeAll
  static void handleSecrets() {
    secrets.put(RunningPlatform.ADMIN_PASSWORD, Kind.PASSWORD);
    secrets.put(TenantFixture.PASSWORD, Kind.PASSWORD);

    // GIVEN a tenant with users (passwords), their access tokens and a key
    // on a plan without rate limit or quotas, so nothing here is refused for going too fast
    check(app.api().as(app.adminToken()).post("/v1/admin/plans", new JsonObject().put("name", "secrets-unlimited")), 201);
    TenantFixture tenant = TenantFixture.create(app, "secretive", "secrets-unlimited");
    secrets.put(tenant.ownerToken(), Kind.ACCESS_TOKEN);
    secrets.put(tenant.developerToken(), Kind.ACCESS_TOKEN);
    secrets.put(tenant.viewerToken(), Kind.ACCESS_TOKEN);
    secrets.put(tenant.key(), Kind.API_KEY);
    keysCreated = 1;
    refreshTokensIssued = 5; // the admin twice (plan, fixture) and the fixture's three users

    Api admin = app.api().as(app.adminToken());
    refreshTokensIssued++;
    String[] extraUsers = {"second-dev@" + tenant.name() + ".test", "second-viewer@" + tenant.name() + ".test"};
    String[] extraPasswords = {"dev-pass-" + UUID.randomUUID(), "viewer-pass-" + UUID.randomUUID()};
    for (int i = 0; i < extraUsers.length; i++) {
      Api.Response created = admin.post("/v1/admin/tenants/" + tenant.id() + "/users",
          new JsonObject().put("email", extraUsers[i]).put("password", extraPasswords[i]).put("role", i == 0 ? "developer" : "viewer"));
      check(created, 201);
      secrets.put(extraPasswords[i], Kind.PASSWORD);
    }

    // WHEN users sign in, refresh, and reuse a rotated refresh token
    JsonObject first = login(extraUsers[0], extraPasswords[0]);
    JsonObject second = refresh(first.getString("refresh_token"));
    Api.Response reuse = app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", first.getString("refresh_token")));
    check(reuse, 401);
    refusals.add(reuse);
    Api.Response afterReuse = app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", second.getString("refresh_token")));
    check(afterReuse, 401);
    refusals.add(afterReuse);
    JsonObject third = login(extraUsers[1], extraPasswords[1]);
    JsonObject fourth = refresh(third.getString("refresh_token"));
    for (JsonObject pair : List.of(first, second, third, fourth)) {
      secrets.put(pair.getString("access_token"), Kind.ACCESS_TOKEN);
      secrets.put(pair.getString("refresh_token"), Kind.REFRESH_TOKEN);
    }

    // AND someone mistypes passwords (an owner's, and for an account that does not exist)
    String mistyped = "mistyped-" + UUID.randomUUID();
    String unknownAccount = "guess-" + UUID.randomUUID();
    secrets.put(mistyped, Kind.PASSWORD);
    secrets.put(unknownAccount, Kind.PASSWORD);
    refusals.add(check(app.api().post("/v1/auth/login", new JsonObject().put("email", tenant.ownerEmail()).put("password", mistyped)), 401));
    refusals.add(check(app.api().post("/v1/auth/login", new JsonObject().put("email", "nobody@nowhere.test").put("password", unknownAccount)), 401));
    // and sends secrets in malformed requests
    refusals.add(check(app.api().post("/v1/auth/login",
        new JsonObject().put("email", tenant.ownerEmail()).put("password", TenantFixture.PASSWORD).put("remember", true)), 400));
    refusals.add(check(app.api().post("/v1/auth/refresh",
        new JsonObject().put("refresh_token", fourth.getString("refresh_token")).put("token", fourth.getString("refresh_token"))), 400));
    refusals.add(check(admin.post("/v1/admin/tenants/" + tenant.id() + "/users",
        new JsonObject().put("email", "bad email").put("password", extraPasswords[0]).put("role", "viewer")), 400));

    // AND a browser signs in with the session cookie and refreshes through it
    HttpResponse<String> browser = app.send(HttpRequest.newBuilder(app.uri("/v1/auth/login")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("email", extraUsers[1]).put("password", extraPasswords[1])
            .put("session_cookie", true).encode())));
    assertEquals(200, browser.statusCode(), browser.body());
    secrets.put(new JsonObject(browser.body()).getString("access_token"), Kind.ACCESS_TOKEN);
    String cookie = sessionCookie(browser);
    secrets.put(cookie, Kind.REFRESH_TOKEN);
    HttpResponse<String> rotated = app.send(HttpRequest.newBuilder(app.uri("/v1/auth/refresh")).header("Cookie", "aiaas_refresh=" + cookie)
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, rotated.statusCode(), rotated.body());
    secrets.put(new JsonObject(rotated.body()).getString("access_token"), Kind.ACCESS_TOKEN);
    secrets.put(sessionCookie(rotated), Kind.REFRESH_TOKEN);
    refreshTokensIssued += 2;
    // AND a user changes a password: once with a wrong current one, once too short, then for real
    String wrongCurrent = "wrong-current-" + UUID.randomUUID();
    String tooShort = "Sh0rt-pw9";
    String changed = "changed-" + UUID.randomUUID();
    for (String password : List.of(wrongCurrent, tooShort, changed)) {
      secrets.put(password, Kind.PASSWORD);
    }
    Api reader2 = app.api().as(fourth.getString("access_token"));
    refusals.add(check(reader2.post("/v1/auth/password", new JsonObject().put("current_password", wrongCurrent).put("new_password", changed)), 400));
    refusals.add(check(reader2.post("/v1/auth/password",
        new JsonObject().put("current_password", extraPasswords[1]).put("new_password", tooShort)), 400));
    check(reader2.post("/v1/auth/password", new JsonObject().put("current_password", extraPasswords[1]).put("new_password", changed)), 204);

    // AND keys are created, used, revoked and used again
    Api owner = app.api().as(tenant.ownerToken());
    List<String> keyIds = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (JsonObject request : List.of(
        new JsonObject().put("name", "predictor").put("scopes", new JsonArray().add("predict")),
        new JsonObject().put("name", "reader").put("scopes", new JsonArray().add("read").add("manage")),
        new JsonObject().put("name", "expiring").put("scopes", new JsonArray().add("read"))
            .put("expires_at", Instant.now().plus(1, ChronoUnit.DAYS).toString()))) {
      Api.Response created = check(owner.post("/v1/keys", request), 201);
      secrets.put(created.json().getString("key"), Kind.API_KEY);
      keys.add(created.json().getString("key"));
      keyIds.add(created.json().getString("id"));
      keysCreated++;
    }
    String reader = keys.get(1);
    check(app.api().as(reader).get("/v1/tenant"), 200);
    check(app.api().withApiKeyHeader(reader).get("/v1/keys"), 200);
    Api.Response byKey = check(app.api().as(reader).post("/v1/keys",
        new JsonObject().put("name", "minted by key").put("scopes", new JsonArray().add("manage"))), 201);
    secrets.put(byKey.json().getString("key"), Kind.API_KEY);
    keysCreated++;
    Api.Response minted = check(owner.get("/v1/keys"), 200);
    assertEquals(keysCreated, minted.data().size(), minted::toString);
    check(owner.delete("/v1/keys/" + keyIds.get(1)), 204);
    refusals.add(check(app.api().as(reader).get("/v1/tenant"), 401));
    refusals.add(check(app.api().withApiKeyHeader(reader).get("/v1/tenant"), 401));
    refusals.add(check(app.api().as(tenant.key() + "0").get("/v1/tenant"), 401));
    refusals.add(check(app.api().as(tenant.viewerToken()).post("/v1/keys",
        new JsonObject().put("name", "viewer's").put("scopes", new JsonArray().add("read"))), 403));
    refreshTokensIssued += 4; // the two extra users' logins and refreshes
  }

  /** Verifies that no row of any table of the database holds a password, API key, refresh token or access token in clear. */
  @Test
  void databaseHoldsNoSecretInClear() throws SQLException {
    Map<String, List<String>> rowsByTable = readEveryRow();

    assertTrue(rowsByTable.keySet().containsAll(List.of("users", "api_keys", "refresh_tokens", "audit_log", "memberships", "tenants")),
        "the scan must cover the tables that hold credentials: " + rowsByTable.keySet());
    assertEquals(keysCreated, rowsByTable.get("api_keys").size(), "every key created is scanned");
    assertTrue(rowsByTable.get("refresh_tokens").size() >= refreshTokensIssued, "every refresh token issued is scanned");
    List<String> found = new ArrayList<>();
    rowsByTable.forEach((table, rows) -> rows.forEach(row -> leaks(row).forEach(kind -> found.add(kind + " in table " + table))));
    assertEquals(List.of(), found, "secrets stored in clear");
  }

  /** Verifies that nothing logged while the platform ran (startup included) contains a secret, nor does any refusal echo one. */
  @Test
  void logsAndErrorsHoldNoSecret() {
    List<String> lines = logs.lines();

    assertTrue(lines.stream().anyMatch(l -> l.contains("API: http://")), "the capture must have seen the platform start: " + lines);
    List<String> found = new ArrayList<>();
    for (String line : lines) {
      leaks(line).forEach(kind -> found.add(kind + " logged"));
    }
    for (Api.Response refusal : refusals) {
      leaks(refusal.body()).forEach(kind -> found.add(kind + " echoed in a " + refusal.status() + " answer"));
    }
    assertEquals(List.of(), found, "secrets in logs or error answers");
  }

  /**
   * Verifies the shape of what is stored instead: PBKDF2-SHA512 password hashes with a salt of
   * their own, and 32-byte (SHA-256) hashes for API keys and refresh tokens.
   */
  @Test
  void storedHashesHaveTheExpectedShape() throws SQLException {
    try (Connection db = connect(); Statement sql = db.createStatement()) {
      Set<String> hashes = new HashSet<>();
      int users = 0;
      try (ResultSet rows = sql.executeQuery("SELECT email, password_hash FROM users")) {
        while (rows.next()) {
          users++;
          String email = rows.getString(1);
          String hash = rows.getString(2);
          assertTrue(hash.startsWith("pbkdf2-sha512$"), email + ": " + hash.substring(0, Math.min(20, hash.length())));
          String[] parts = hash.split("\\$");
          assertEquals(4, parts.length, email + ": pbkdf2-sha512$<iterations>$<salt>$<hash>");
          assertTrue(Integer.parseInt(parts[1]) >= 210_000, email + ": too few PBKDF2 iterations: " + parts[1]);
          assertTrue(Base64.getDecoder().decode(parts[2]).length >= 16, email + ": salt shorter than 16 bytes");
          assertTrue(Base64.getDecoder().decode(parts[3]).length >= 32, email + ": derived key shorter than 32 bytes");
          assertTrue(hashes.add(hash), email + ": the same hash as another user (no salt?)");
        }
      }
      assertEquals(6, users, "the admin, the fixture's three users and two more");
      assertEquals(List.of(32), distinct(sql, "SELECT DISTINCT octet_length(secret_hash) FROM api_keys"), "api_keys.secret_hash");
      assertEquals(List.of(32), distinct(sql, "SELECT DISTINCT octet_length(token_hash) FROM refresh_tokens"), "refresh_tokens.token_hash");
      assertEquals(List.of(keysCreated), distinct(sql, "SELECT count(DISTINCT secret_hash)::int FROM api_keys"), "one hash per key");
    }
  }

  // --- helpers ---

  /** The kinds of secret {@code text} contains, in clear or as the hex of their random bytes. */
  private static List<String> leaks(String text) {
    List<String> kinds = new ArrayList<>();
    for (Map.Entry<String, Kind> secret : secrets.entrySet()) {
      if (forms(secret.getKey(), secret.getValue()).stream().anyMatch(text::contains)) {
        kinds.add(secret.getValue() + " (" + secret.getKey().substring(0, 6) + "...)");
      }
    }
    return kinds;
  }

  /** A secret as it might be stored by mistake: whole, without its fixed prefix, or its random bytes in hex (bytea). */
  private static List<String> forms(String secret, Kind kind) {
    List<String> forms = new ArrayList<>(List.of(secret));
    switch (kind) {
      case API_KEY -> {
        String random = secret.substring("aiaas_".length());
        // listings show "aiaas_" and 6 more characters; the other 37 must never be kept
        forms.add(random.substring(6));
        forms.add(HexFormat.of().formatHex(Base64.getUrlDecoder().decode(random)));
      }
      case ACCESS_TOKEN -> forms.add(secret.substring(secret.lastIndexOf('.') + 1)); // the signature
      case REFRESH_TOKEN -> forms.add(HexFormat.of().formatHex(Base64.getUrlDecoder().decode(secret)));
      case PASSWORD -> forms.add(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8))); // as bytea
    }
    return forms;
  }

  private static Map<String, List<String>> readEveryRow() throws SQLException {
    Map<String, List<String>> rowsByTable = new LinkedHashMap<>();
    try (Connection db = connect(); Statement sql = db.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rows = sql.executeQuery(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
      for (String table : tables) {
        List<String> texts = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("SELECT t::text FROM public.\"" + table.replace("\"", "\"\"") + "\" t")) {
          while (rows.next()) {
            texts.add(rows.getString(1));
          }
        }
        rowsByTable.put(table, texts);
      }
    }
    return rowsByTable;
  }

  private static List<Integer> distinct(Statement sql, String query) throws SQLException {
    List<Integer> values = new ArrayList<>();
    try (ResultSet rows = sql.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getInt(1));
      }
    }
    return values;
  }

  private static Connection connect() throws SQLException {
    DatabaseUrl database = app.database();
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  /** The refresh token a response sets as the browser's session cookie. */
  private static String sessionCookie(HttpResponse<String> response) {
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError("no Set-Cookie"));
    return setCookie.substring("aiaas_refresh=".length(), setCookie.indexOf(';'));
  }

  private static JsonObject login(String email, String password) {
    return check(app.api().post("/v1/auth/login", new JsonObject().put("email", email).put("password", password)), 200).json();
  }

  private static JsonObject refresh(String refreshToken) {
    return check(app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", refreshToken)), 200).json();
  }

  private static Api.Response check(Api.Response response, int status) {
    if (response.status() != status) {
      throw new AssertionError("expected " + status + ", got " + response.status() + " " + response.body());
    }
    return response;
  }
}
