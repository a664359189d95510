package dev.aiaas.gateway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.PlatformProcess;
import dev.aiaas.gateway.testing.RunningPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code aiaas admin reset-password}: the way back for an operator who missed the generated admin password. */
class ResetPasswordIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final Pattern PRINTED = Pattern.compile("\\(shown this once\\): (\\S+)");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int resetPassword(String... args) {
    Map<String, String> env = Map.of("AIAAS_DB_URL", app.database().toUrlWithPassword());
    String[] all = new String[args.length + 2];
    all[0] = "admin";
    all[1] = "reset-password";
    System.arraycopy(args, 0, all, 2, args.length);
    return Main.run(env, new PrintWriter(out, true), new PrintWriter(err, true), all);
  }

  private static Api.Response login(String password) {
    return app.api().post("/v1/auth/login", new JsonObject().put("email", RunningPlatform.ADMIN_EMAIL).put("password", password));
  }

  /** Verifies that the printed password signs in, the old one no longer does, the admin's sessions ended, and the reset is audited. */
  @Test
  void printsAPasswordThatSignsIn() {
    // GIVEN the admin has a session (never used, so no gateway has it cached)
    JsonObject before = login(RunningPlatform.ADMIN_PASSWORD).json();

    // WHEN the operator resets the password
    int exit = resetPassword("--email", RunningPlatform.ADMIN_EMAIL.toUpperCase(java.util.Locale.ROOT));

    // THEN it is printed once, signs in, and everything from before is dead
    assertEquals(0, exit, err.toString());
    Matcher printed = PRINTED.matcher(out.toString());
    assertTrue(printed.find(), out.toString());
    String password = printed.group(1);
    assertFalse(printed.find(), "printed once");
    Api.Response fresh = login(password);
    assertEquals(200, fresh.status(), fresh.toString());
    assertEquals(401, login(RunningPlatform.ADMIN_PASSWORD).status());
    assertEquals(401, app.api().post("/v1/auth/refresh", new JsonObject().put("refresh_token", before.getString("refresh_token"))).status());
    assertEquals(401, app.api().as(before.getString("access_token")).get("/v1/admin/tenants").status());
    JsonArray audit = app.api().as(fresh.json().getString("access_token")).get("/v1/admin/audit?action=user.password_reset").data();
    assertEquals(1, audit.size(), audit.encode());
    assertEquals("system", audit.getJsonObject(0).getString("actor_type"));
    assertEquals(1, audit.getJsonObject(0).getJsonObject("details").getInteger("sessions_ended"));
    assertTrue(err.toString().isEmpty(), err.toString());
    // Leave the admin as the other tests of the run expect it.
    assertEquals(204, app.api().as(fresh.json().getString("access_token")).post("/v1/auth/password",
        new JsonObject().put("current_password", password).put("new_password", RunningPlatform.ADMIN_PASSWORD)).status());
  }

  /**
   * Verifies that a session a gateway already holds as alive (its token was just used) is refused
   * within a second of the reset: the command notifies the gateways through PostgreSQL.
   */
  @Test
  void aSessionInUseEndsAtOnce() {
    // GIVEN the admin's session is in use, so the gateway has it cached as alive
    JsonObject before = login(RunningPlatform.ADMIN_PASSWORD).json();
    Api admin = app.api().as(before.getString("access_token"));
    assertEquals(200, admin.get("/v1/admin/tenants").status());

    // WHEN the operator resets the password from the command line
    assertEquals(0, resetPassword("--email", RunningPlatform.ADMIN_EMAIL), err.toString());

    // THEN the gateway refuses that session's access token within a second (not after the cache's 30 s)
    Eventually.until(() -> admin.get("/v1/admin/tenants").status(), status -> status == 401, Duration.ofSeconds(1));
    Matcher printed = PRINTED.matcher(out.toString());
    assertTrue(printed.find(), out.toString());
    String fresh = login(printed.group(1)).json().getString("access_token");
    assertEquals(204, app.api().as(fresh).post("/v1/auth/password",
        new JsonObject().put("current_password", printed.group(1)).put("new_password", RunningPlatform.ADMIN_PASSWORD)).status());
  }

  /**
   * Verifies that in embedded mode the command works beside the running platform, through its
   * PostgreSQL (which keeps serving), and, with the platform stopped, starts that database for the
   * task and stops it again.
   */
  @Test
  void embeddedModeBesideTheRunningPlatform(@TempDir Path dataDir) throws Exception {
    Path jar = Path.of(System.getProperty("aiaas.jar", "target/aiaas.jar"));
    Map<String, String> env = Map.of("AIAAS_DATA_DIR", dataDir.toString(), "AIAAS_HTTP_PORT", "0", "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_WORKER_DEVICES", "cpu", "AIAAS_DB_URL", "", "AIAAS_CONFIG", "");
    Map<String, String> cli = Map.of("AIAAS_DATA_DIR", dataDir.toString());
    try (PlatformProcess platform = PlatformProcess.start(jar, env)) {
      int port = Integer.parseInt(platform.awaitLine("API: http://127\\.0\\.0\\.1:(\\d+)/v1", Duration.ofSeconds(120)).group(1));
      Api api = Api.at(URI.create("http://127.0.0.1:" + port + "/"));

      // WHEN the operator resets the admin password while the platform runs
      assertEquals(0, Main.run(cli, new PrintWriter(out, true), new PrintWriter(err, true),
          "admin", "reset-password", "--email", "admin@aiaas.local"), err.toString());

      // THEN the running platform accepts the printed password and still serves
      Matcher printed = PRINTED.matcher(out.toString());
      assertTrue(printed.find(), out.toString());
      String token = api.login("admin@aiaas.local", printed.group(1));
      assertEquals(200, api.as(token).get("/v1/admin/tenants").status());
      assertTrue(platform.terminate(Duration.ofSeconds(60)).isPresent(), platform.output());
    }

    // AND with the platform stopped, the command starts the database itself and leaves none running
    out.getBuffer().setLength(0);
    assertEquals(0, Main.run(cli, new PrintWriter(out, true), new PrintWriter(err, true),
        "admin", "reset-password", "--email", "admin@aiaas.local"), err.toString());
    assertTrue(PRINTED.matcher(out.toString()).find(), out.toString());
    assertFalse(Files.exists(dataDir.resolve("pg").resolve("postmaster.pid")), "the database it started is stopped again");
  }

  /** Verifies that an unknown account is a clear error (exit 1) and a missing --email a usage error (exit 2). */
  @Test
  void refusals() {
    assertEquals(1, resetPassword("--email", "nobody@nowhere.test"));
    assertTrue(err.toString().contains("no account with email nobody@nowhere.test"), err.toString());
    assertFalse(err.toString().contains("Exception"), "one readable line, no stack trace: " + err);
    assertEquals(2, resetPassword());
  }
}
