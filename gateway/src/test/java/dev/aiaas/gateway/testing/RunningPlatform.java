package dev.aiaas.gateway.testing;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.config.ConfigLoader;
import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.launcher.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Boots the real application (gateway + worker, {@code serve}) on a random port against a fresh
 * test database, once per test class: {@code @RegisterExtension static RunningPlatform app = new
 * RunningPlatform();}. Tests talk to it over HTTP.
 */
public final class RunningPlatform implements BeforeAllCallback, AfterAllCallback {

  private final Map<String, String> env = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Platform platform;
  private Path dataDir;
  private DatabaseUrl database;
  private BlockedThreadWatch blockedThreads;
  private java.util.function.UnaryOperator<AiaasConfig> adjust = java.util.function.UnaryOperator.identity();

  /** The platform admin every test platform is created with. */
  public static final String ADMIN_EMAIL = "admin@example.test";

  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  /** Adds an {@code AIAAS_*} setting, as the environment would. */
  public RunningPlatform with(String envName, String value) {
    env.put(envName, value);
    return this;
  }

  /** Changes the loaded configuration before the platform starts (internal knobs that are not settings, e.g. timing). */
  public RunningPlatform configured(java.util.function.UnaryOperator<AiaasConfig> change) {
    adjust = change;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    blockedThreads = BlockedThreadWatch.install();
    dataDir = Files.createTempDirectory("aiaas-test");
    database = TestDatabases.freshDatabase();
    Map<String, String> settings = new HashMap<>(Map.of(
        "AIAAS_DATA_DIR", dataDir.toString(),
        "AIAAS_DB_URL", database.toUrlWithPassword(),
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_WORKER_DEVICES", "cpu",
        "AIAAS_SHUTDOWN_TIMEOUT_SECONDS", "5",
        "AIAAS_ADMIN_EMAIL", ADMIN_EMAIL,
        "AIAAS_ADMIN_PASSWORD", ADMIN_PASSWORD));
    settings.putAll(env);
    AiaasConfig config = adjust.apply(ConfigLoader.load(Optional.empty(), settings));
    platform = Platform.start(config, Role.SERVE, false);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (platform != null) {
      platform.close();
    }
    List<String> blocked = blockedThreads.uninstall();
    if (!blocked.isEmpty()) {
      throw new AssertionError("an event loop was blocked during " + context.getDisplayName() + ": " + blocked);
    }
  }

  public Platform platform() {
    return platform;
  }

  public DatabaseUrl database() {
    return database;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + platform.httpPort() + path);
  }

  /** Sends a request built on this platform's base URL. */
  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An anonymous JSON client; {@link Api#as} adds credentials. */
  public Api api() {
    return Api.at(uri("/"));
  }

  /** Signs in and returns the access token. */
  public String login(String email, String password) {
    return api().login(email, password);
  }

  /** The platform admin's access token. */
  public String adminToken() {
    return login(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  /** The data directory of this platform (holds the JWT key file). */
  public Path dataDir() {
    return dataDir;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }
}
