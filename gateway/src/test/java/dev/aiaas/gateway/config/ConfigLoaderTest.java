package dev.aiaas.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.worker.images.ImageArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  /** Verifies that with nothing set the documented defaults apply. */
  @Test
  void defaults() {
    AiaasConfig config = ConfigLoader.load(Optional.empty(), Map.of());

    assertEquals(8080, config.httpPort());
    assertEquals("0.0.0.0", config.httpHost());
    assertEquals(Path.of("./data").toAbsolutePath().normalize(), config.dataDir());
    assertTrue(config.databaseUrl().isEmpty());
    assertEquals(config.dataDir().resolve("jwt-key.pem"), config.jwtKeyFile());
    assertEquals(config.dataDir().resolve("master.key"), config.masterKeyFile());
    assertEquals(config.dataDir().resolve("pg"), config.embeddedDatabaseDir());
    assertEquals("auto", config.workerDevices());
    assertEquals(List.of(), config.clusterMembers());
  }

  /**
   * Verifies that the image archive limits default to room for 100 000 images and more, and that
   * each is configurable from the environment or the file.
   */
  @Test
  void imageArchiveLimits() throws IOException {
    ImageArchive.Limits defaults = ConfigLoader.load(Optional.empty(), Map.of()).imageArchiveLimits();
    assertTrue(defaults.maxEntries() >= 100_000, "entries " + defaults.maxEntries());
    assertEquals(10L << 20, defaults.maxEntryBytes());
    assertEquals(4L << 30, defaults.maxUncompressedBytes());
    assertEquals(50_000_000L, defaults.maxPixelsPerImage());

    Path file = Files.writeString(dir.resolve("limits.yaml"), "image_archive_max_bytes: 8589934592\n");
    ImageArchive.Limits set = ConfigLoader.load(Optional.of(file), Map.of(
        "AIAAS_IMAGE_ARCHIVE_MAX_ENTRIES", "500000", "AIAAS_IMAGE_ARCHIVE_MAX_ENTRY_BYTES", "1048576",
        "AIAAS_IMAGE_MAX_PIXELS", "1000000")).imageArchiveLimits();
    assertEquals(new ImageArchive.Limits(500_000, 1L << 20, 8L << 30, 1_000_000), set);
    assertMessage("AIAAS_IMAGE_ARCHIVE_MAX_ENTRIES", Map.of("AIAAS_IMAGE_ARCHIVE_MAX_ENTRIES", "0"));
    assertMessage("AIAAS_IMAGE_ARCHIVE_MAX_BYTES", Map.of("AIAAS_IMAGE_ARCHIVE_MAX_BYTES", "lots"));
  }

  /** Verifies that the YAML file overrides defaults and the environment overrides the file. */
  @Test
  void environmentBeatsFileBeatsDefaults() throws IOException {
    Path file = Files.writeString(dir.resolve("aiaas.yaml"), """
        http_port: 9000
        http_host: 127.0.0.1
        cluster_members: [10.0.0.1:5701, 10.0.0.2:5701]
        """);

    AiaasConfig config = ConfigLoader.load(Optional.of(file), Map.of("AIAAS_HTTP_PORT", "9100"));

    assertEquals(9100, config.httpPort());
    assertEquals("127.0.0.1", config.httpHost());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), config.clusterMembers());
  }

  /** Verifies that AIAAS_CONFIG names the file when --config is absent. */
  @Test
  void configFileFromEnvironment() throws IOException {
    Path file = Files.writeString(dir.resolve("c.yaml"), "worker_devices: cpu\n");

    AiaasConfig config = ConfigLoader.load(Optional.empty(), Map.of("AIAAS_CONFIG", file.toString()));

    assertEquals("cpu", config.workerDevices());
  }

  /** Verifies that each kind of invalid value fails with a message naming the setting. */
  @Test
  void invalidValuesNameTheSetting() {
    assertMessage("AIAAS_HTTP_PORT", Map.of("AIAAS_HTTP_PORT", "eighty"));
    assertMessage("AIAAS_HTTP_PORT", Map.of("AIAAS_HTTP_PORT", "70000"));
    assertMessage("AIAAS_DB_URL", Map.of("AIAAS_DB_URL", "mysql://x@y/z"));
    assertMessage("AIAAS_DB_URL", Map.of("AIAAS_DB_URL", "postgresql://user:secret@host:5432"));
    assertMessage("AIAAS_WORKER_DEVICES", Map.of("AIAAS_WORKER_DEVICES", "tpu0"));
    assertMessage("AIAAS_CLUSTER_MEMBERS", Map.of("AIAAS_CLUSTER_MEMBERS", "host-without-port"));
    assertMessage("AIAAS_ADMIN_EMAIL", Map.of("AIAAS_ADMIN_EMAIL", "not-an-email"));
    assertMessage("AIAAS_MAX_BODY_BYTES", Map.of("AIAAS_MAX_BODY_BYTES", "-1"));
  }

  /** Verifies that the access log is on by default, off with access_log: false or AIAAS_ACCESS_LOG=false, and nothing else is accepted. */
  @Test
  void accessLogSwitch() throws IOException {
    assertTrue(ConfigLoader.load(Optional.empty(), Map.of()).accessLog());
    assertFalse(ConfigLoader.load(Optional.empty(), Map.of("AIAAS_ACCESS_LOG", "false")).accessLog());
    Path file = Files.writeString(dir.resolve("quiet.yaml"), "access_log: false\n");
    assertFalse(ConfigLoader.load(Optional.of(file), Map.of()).accessLog());
    assertTrue(ConfigLoader.load(Optional.of(file), Map.of("AIAAS_ACCESS_LOG", "TRUE")).accessLog());
    assertMessage("AIAAS_ACCESS_LOG", Map.of("AIAAS_ACCESS_LOG", "off"));
  }

  /** Verifies that private webhook targets are refused by default, allowed with webhook_allow_private: true or the variable, and nothing else is accepted. */
  @Test
  void webhookAllowPrivateSwitch() throws IOException {
    assertFalse(ConfigLoader.load(Optional.empty(), Map.of()).webhookAllowPrivate());
    assertTrue(ConfigLoader.load(Optional.empty(), Map.of("AIAAS_WEBHOOK_ALLOW_PRIVATE", "true")).webhookAllowPrivate());
    Path file = Files.writeString(dir.resolve("private-hooks.yaml"), "webhook_allow_private: true\n");
    assertTrue(ConfigLoader.load(Optional.of(file), Map.of()).webhookAllowPrivate());
    assertMessage("AIAAS_WEBHOOK_ALLOW_PRIVATE", Map.of("AIAAS_WEBHOOK_ALLOW_PRIVATE", "yes"));
  }

  /** Verifies that a bad database URL's password never appears in the error. */
  @Test
  void databasePasswordNotInError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(Optional.empty(), Map.of("AIAAS_DB_URL", "postgresql://u:hunter2@host:5432")));

    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  /** Verifies that an unknown YAML key or an unreadable file fails fast. */
  @Test
  void badFiles() throws IOException {
    Path unknown = Files.writeString(dir.resolve("u.yaml"), "htp_port: 1\n");
    Path broken = Files.writeString(dir.resolve("b.yaml"), "http_port: [\n");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(unknown), Map.of()));
    assertTrue(e.getMessage().startsWith("htp_port:"), e.getMessage());
    assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(broken), Map.of()));
    assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(dir.resolve("missing.yaml")), Map.of()));
  }

  /** Verifies that the configuration's text form hides the passwords. */
  @Test
  void toStringHidesSecrets() {
    AiaasConfig config = ConfigLoader.load(Optional.empty(),
        Map.of("AIAAS_ADMIN_PASSWORD", "s3cret-pass", "AIAAS_DB_URL", "postgresql://u:db-pass@h:5432/d"));

    assertFalse(config.toString().contains("s3cret-pass"));
    assertFalse(config.toString().contains("db-pass"));
  }

  private static void assertMessage(String setting, Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), env));
    assertTrue(e.getMessage().startsWith(setting + ":"), e.getMessage());
  }
}
