package dev.aiaas.gateway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.crypto.MasterKey;
import dev.aiaas.gateway.StartupException;
import dev.aiaas.gateway.config.ConfigLoader;
import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.encryption.EncryptionAtRestIT;
import dev.aiaas.gateway.encryption.MasterKeyRotation;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.gateway.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code aiaas keys rotate-master}: interrupted, resumed, and what the nodes see afterwards. */
class RotateMasterKeyIT {

  /**
   * Verifies that a rotation interrupted half-way leaves the key file alone and keeps nodes from
   * starting, that running it again finishes it and swaps the file (the old key kept beside it),
   * that afterwards every dataset reads back intact and training on an old dataset succeeds with
   * the new key, that a node given the old key file fails at start with a clear message, and that a
   * worker given no key file refuses to start.
   */
  @Test
  void rotationKeepsEveryDatasetReadable() throws Exception {
    Path dataDir = Files.createTempDirectory("aiaas-rotation");
    DatabaseUrl database = TestDatabases.freshDatabase();
    Map<String, String> env = new HashMap<>(Map.of(
        "AIAAS_DATA_DIR", dataDir.toString(),
        "AIAAS_DB_URL", database.toUrlWithPassword(),
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_WORKER_DEVICES", "cpu",
        "AIAAS_SHUTDOWN_TIMEOUT_SECONDS", "5",
        "AIAAS_ADMIN_EMAIL", RunningPlatform.ADMIN_EMAIL,
        "AIAAS_ADMIN_PASSWORD", RunningPlatform.ADMIN_PASSWORD));
    Path keyFile = dataDir.resolve("master.key");

    // GIVEN three tenants, each with a dataset sealed under its own data key
    Map<String, String> datasets = new LinkedHashMap<>();
    Map<String, String> owners = new HashMap<>();
    try (Platform first = start(env)) {
      Api api = api(first);
      String admin = api.login(RunningPlatform.ADMIN_EMAIL, RunningPlatform.ADMIN_PASSWORD);
      TenantFixture.ensureUnlimitedPlan(api.as(admin));
      for (int i = 0; i < 3; i++) {
        TenantFixture tenant = TenantFixture.create(api, admin, "rotated" + i, TenantFixture.UNLIMITED);
        String csv = EncryptionAtRestIT.csv(200, i);
        String datasetId = EncryptionAtRestIT.upload(api.as(tenant.ownerToken()), csv);
        datasets.put(datasetId, csv);
        owners.put(datasetId, tenant.ownerEmail());
      }
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    String oldId = MasterKey.load(keyFile).id();

    // WHEN the rotation stops after one data key
    MasterKeyRotation.Result partial = new MasterKeyRotation().rotate(database, keyFile, Optional.empty(), 1);

    // THEN the key file is unchanged and no node starts until it is finished
    assertFalse(partial.finished());
    assertEquals(1, partial.rewrapped());
    assertEquals(oldId, MasterKey.load(keyFile).id());
    StartupException unfinished = assertThrows(StartupException.class, () -> start(env).close());
    assertTrue(unfinished.getMessage().contains("rotation from " + oldId + " to " + partial.toKeyId() + " is unfinished"),
        unfinished.getMessage());

    // WHEN the command runs again THEN it re-wraps the rest under the same new key and swaps the files
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, Main.run(env, new PrintWriter(out, true), new PrintWriter(err, true), "keys", "rotate-master"), err.toString());
    assertTrue(out.toString().contains("Re-wrapped 2 data key(s) from master key " + oldId + " to " + partial.toKeyId()), out.toString());
    String newId = MasterKey.load(keyFile).id();
    assertEquals(partial.toKeyId(), newId);
    assertNotEquals(oldId, newId);
    Path oldFile = dataDir.resolve("master.key.old");
    assertEquals(oldId, MasterKey.load(oldFile).id());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(oldFile)));
    assertFalse(Files.exists(dataDir.resolve("master.key.new")));
    try (Connection db = EncryptionAtRestIT.connect(database)) {
      assertEquals(3, EncryptionAtRestIT.count(db, "SELECT count(*) FROM tenant_data_keys WHERE master_key_id = ?", newId));
    }

    // THEN a node with the new key reads every dataset and trains on an old one
    try (Platform second = start(env)) {
      Api api = api(second);
      for (Map.Entry<String, String> dataset : datasets.entrySet()) {
        Api owner = api.as(api.login(owners.get(dataset.getKey()), TenantFixture.PASSWORD));
        assertEquals(dataset.getValue(), owner.get("/v1/datasets/" + dataset.getKey() + "/content").body());
      }
      String first = datasets.keySet().iterator().next();
      JsonObject job = EncryptionAtRestIT.train(api.as(api.login(owners.get(first), TenantFixture.PASSWORD)), first, "after-rotation");
      assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    }

    // AND a node given the old key file refuses to start, saying why
    Map<String, String> stale = new HashMap<>(env);
    stale.put("AIAAS_MASTER_KEY_FILE", oldFile.toString());
    StartupException refused = assertThrows(StartupException.class, () -> start(stale).close());
    assertTrue(refused.getMessage().contains("AIAAS_MASTER_KEY_FILE: " + oldFile + " holds master key " + oldId
        + ", but this database's data keys are wrapped by master key " + newId), refused.getMessage());

    // AND a worker without the key file refuses to start instead of making a key of its own
    Map<String, String> keyless = new HashMap<>(env);
    Path missing = dataDir.resolve("missing.key");
    keyless.put("AIAAS_MASTER_KEY_FILE", missing.toString());
    StartupException noKey = assertThrows(StartupException.class,
        () -> Platform.start(ConfigLoader.load(Optional.empty(), keyless), Role.WORKER, false).close());
    assertTrue(noKey.getMessage().contains("give every worker the gateways' key file"), noKey.getMessage());
    assertFalse(Files.exists(missing));
  }

  private static Platform start(Map<String, String> env) {
    return Platform.start(ConfigLoader.load(Optional.empty(), env), Role.SERVE, false);
  }

  private static Api api(Platform platform) {
    return Api.at(URI.create("http://127.0.0.1:" + platform.httpPort() + "/"));
  }
}
