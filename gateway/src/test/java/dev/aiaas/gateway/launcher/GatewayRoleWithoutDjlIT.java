package dev.aiaas.gateway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.PlatformProcess;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.gateway.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gateway} role runs on the worker API alone: the packaged jar, started as a gateway
 * with {@code -verbose:class}, takes a dataset and a training job without loading one DJL class,
 * let alone the MXNet engine.
 */
class GatewayRoleWithoutDjlIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final Pattern LOADED = Pattern.compile("(?m)\\[class,load\\] (\\S+)");

  @TempDir Path dataDir;

  /** Verifies that a gateway-only process parses and validates a dataset and queues a job without loading DJL or MXNet. */
  @Test
  void gatewayRoleLoadsNoDjlClass() throws Exception {
    Path jar = Path.of(System.getProperty("aiaas.jar", "target/aiaas.jar"));
    DatabaseUrl db = TestDatabases.freshDatabase();
    Map<String, String> env = Map.of(
        "AIAAS_DATA_DIR", dataDir.toString(),
        "AIAAS_DB_URL", db.toUrlWithPassword(),
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_ADMIN_EMAIL", RunningPlatform.ADMIN_EMAIL,
        "AIAAS_ADMIN_PASSWORD", RunningPlatform.ADMIN_PASSWORD,
        "AIAAS_CONFIG", "");
    try (PlatformProcess gateway = PlatformProcess.start(List.of("-verbose:class"), jar, env, "gateway")) {
      Matcher port = gateway.awaitLine("API: http://127\\.0\\.0\\.1:(\\d+)/v1", START);
      Api api = Api.at(URI.create("http://127.0.0.1:" + port.group(1) + "/"));
      TenantFixture acme = TenantFixture.create(api, api.login(RunningPlatform.ADMIN_EMAIL, RunningPlatform.ADMIN_PASSWORD), "acme",
          TenantFixture.UNLIMITED);
      Api owner = api.as(acme.ownerToken());

      // WHEN a CSV dataset is uploaded (parsed and profiled by the gateway) and a job on it is submitted
      Api.Response uploaded = owner.postBytes("/v1/datasets?name=points&format=csv", "text/csv", csv().getBytes(StandardCharsets.UTF_8));
      assertEquals(201, uploaded.status(), uploaded.toString());
      Api.Response submitted = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", uploaded.json().getString("id"))
          .put("model", "points").put("task", "classification").put("label", "label").put("architecture", "mlp"));
      assertEquals(202, submitted.status(), submitted.toString());
      // AND a job that does not fit the data is refused by the same validation the worker applies
      Api.Response refused = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", uploaded.json().getString("id"))
          .put("model", "points").put("task", "regression").put("label", "label"));
      assertEquals(400, refused.status(), refused.toString());

      // THEN the process loaded the dataset and spec code, and not one class of DJL or its engines
      List<String> classes = LOADED.matcher(gateway.output()).results().map(m -> m.group(1)).toList();
      assertTrue(classes.contains("dev.aiaas.worker.data.CsvTable"), "the class probe sees the dataset parser load");
      assertTrue(classes.contains("dev.aiaas.worker.training.TrainingSpec"), "the class probe sees the job spec load");
      List<String> djl = classes.stream().filter(c -> c.startsWith("ai.djl.")).toList();
      assertEquals(List.of(), djl, "DJL classes loaded by a gateway-only process");
      assertTrue(classes.stream().noneMatch(c -> c.startsWith("dev.aiaas.worker.engine.")), "no worker engine class either");
    }
  }

  private static String csv() {
    StringBuilder csv = new StringBuilder("x,y,label\n");
    for (int i = 0; i < 40; i++) {
      csv.append(i % 7).append(',').append(i % 5).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
    }
    return csv.toString();
  }
}
