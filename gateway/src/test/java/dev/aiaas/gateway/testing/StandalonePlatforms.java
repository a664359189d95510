package dev.aiaas.gateway.testing;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.config.ConfigLoader;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.launcher.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * For tests that start and stop platforms themselves (restarts, shutdowns), where {@link
 * RunningPlatform}'s one platform per class does not fit.
 */
public final class StandalonePlatforms {

  private StandalonePlatforms() {}

  /**
   * A configuration of its own: a fresh database, a new data directory, a random port, one CPU
   * worker, the test admin, and a short shutdown bound ({@code shutdownSeconds}).
   */
  public static AiaasConfig freshConfig(String name, int shutdownSeconds) {
    try {
      Map<String, String> env = new HashMap<>(Map.of(
          "AIAAS_DATA_DIR", Files.createTempDirectory("aiaas-" + name).toString(),
          "AIAAS_DB_URL", TestDatabases.freshDatabase().toUrlWithPassword(),
          "AIAAS_HTTP_PORT", "0",
          "AIAAS_HTTP_HOST", "127.0.0.1",
          "AIAAS_WORKER_DEVICES", "cpu",
          "AIAAS_ADMIN_EMAIL", RunningPlatform.ADMIN_EMAIL,
          "AIAAS_ADMIN_PASSWORD", RunningPlatform.ADMIN_PASSWORD,
          "AIAAS_SHUTDOWN_TIMEOUT_SECONDS", Integer.toString(shutdownSeconds)));
      return ConfigLoader.load(Optional.empty(), env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts every role in one process on {@code config}, unclustered: the first start or a restart. */
  public static Platform serve(AiaasConfig config) {
    return Platform.start(config, Role.SERVE, false);
  }

  /** The owner's client on a (re)started platform, signed in again, as a person is after a restart. */
  public static Api signIn(Platform platform, String ownerEmail) {
    Api api = api(platform);
    return api.as(api.login(ownerEmail, TenantFixture.PASSWORD));
  }

  /** An anonymous client of the platform. */
  public static Api api(Platform platform) {
    return Api.at(URI.create("http://127.0.0.1:" + platform.httpPort() + "/"));
  }

  /** A tenant on the unlimited plan, created by the test admin. */
  public static TenantFixture tenant(Platform platform, String name) {
    Api api = api(platform);
    return TenantFixture.create(api, api.login(RunningPlatform.ADMIN_EMAIL, RunningPlatform.ADMIN_PASSWORD), name, TenantFixture.UNLIMITED);
  }
}
