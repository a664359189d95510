package dev.aiaas.bench;

import dev.aiaas.gateway.config.ConfigLoader;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.launcher.Role;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's hot path against a bare Vert.x handler, side by side in one run on one machine:
 * an API-key-authenticated, rate-limited, quota-checked and metered {@code GET /v1/whoami}
 * (usage made durable in PostgreSQL by group commit before each answer) versus a plain Vert.x
 * server returning the same JSON, and the same call with a console access token (ES256 JWT,
 * session check; not metered). Rounds alternate between the three so drift hits all of them.
 *
 * <p>Arguments: {@code [seconds per round, default 15] [connections, default 32] [rounds, default 3]}.
 */
public final class HotPathBenchmark {

  private static final String ADMIN = "bench-admin@aiaas.local";
  private static final String PASSWORD = "bench-admin-password";

  public static void main(String[] args) throws Exception {
    Duration round = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 15);
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path dataDir = Files.createTempDirectory("aiaas-bench");
    int cores = Runtime.getRuntime().availableProcessors();

    // Other settings come from the environment, e.g. AIAAS_ACCESS_LOG=false to measure without the access log.
    Map<String, String> settings = new java.util.HashMap<>(System.getenv());
    settings.putAll(Map.of(
        "AIAAS_DATA_DIR", dataDir.toString(),
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_ADMIN_EMAIL", ADMIN,
        "AIAAS_ADMIN_PASSWORD", PASSWORD,
        "AIAAS_SHUTDOWN_TIMEOUT_SECONDS", "2"));
    settings.remove("AIAAS_DB_URL");
    try (Platform platform = Platform.start(ConfigLoader.load(Optional.empty(), settings), Role.GATEWAY, false)) {
      Credentials credentials = setUp(URI.create("http://127.0.0.1:" + platform.httpPort()));
      Vertx bareVertx = Vertx.vertx();
      Vertx driverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
      try {
        List<BareServer> bare = new ArrayList<>();
        Buffer body = new JsonObject().put("kind", "api_key").put("id", "4b8e2a5e-0d35-4d3e-9d8c-2f0c8d0e6a11")
            .put("tenant_id", "8f7d1c1e-5a2b-4c9d-8e3f-1a2b3c4d5e6f").put("permissions", new JsonArray().add("read")).toBuffer();
        bareVertx.deployVerticle(() -> {
          BareServer server = new BareServer(body);
          bare.add(server);
          return server;
        }, new DeploymentOptions().setInstances(cores)).await();
        int barePort = bare.get(0).port();
        CostProbe probe = new CostProbe(dataDir, Optional.of(URI.create("http://127.0.0.1:" + platform.httpPort())));
        LoadDriver driver = new LoadDriver(driverVertx, connections, probe);
        Map<String, String> auth = Map.of("Authorization", "Bearer " + credentials.apiKey());
        Map<String, String> console = Map.of("Authorization", "Bearer " + credentials.accessToken());

        System.out.printf("machine: %d cores, %s %s, JVM %s; AIAAS_ACCESS_LOG=%s; %d connections, %d s rounds%n", cores,
            System.getProperty("os.name"), System.getProperty("os.arch"), Runtime.version(),
            System.getenv().getOrDefault("AIAAS_ACCESS_LOG", "true"), connections, round.toSeconds());
        System.out.println("warming up ...");
        probe.printIdle(Duration.ofSeconds(5));
        driver.run("bare", barePort, "/v1/whoami", Map.of(), Duration.ofSeconds(5));
        driver.run("gateway", platform.httpPort(), "/v1/whoami", auth, Duration.ofSeconds(5));
        driver.run("console", platform.httpPort(), "/v1/whoami", console, Duration.ofSeconds(5));

        List<LoadDriver.Result> results = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          results.add(driver.run("bare Vert.x handler", barePort, "/v1/whoami", Map.of(), round));
          results.add(driver.run("gateway, API key", platform.httpPort(), "/v1/whoami", auth, round));
          results.add(driver.run("gateway, console token", platform.httpPort(), "/v1/whoami", console, round));
        }
        report(results);
      } finally {
        driverVertx.close().await();
        bareVertx.close().await();
      }
    }
  }

  private static void report(List<LoadDriver.Result> results) {
    System.out.printf("%n%-24s %10s %8s %9s %9s %9s %9s %s%n", "run", "req/s", "errors", "p50 us", "p99 us", "p99.9 us", "max us",
        CostProbe.Cost.heads());
    double bare = 0;
    double key = 0;
    double token = 0;
    for (LoadDriver.Result r : results) {
      System.out.printf("%-24s %10.0f %8d %9d %9d %9d %9d %s%n", r.name(), r.throughput(), r.errors(), r.percentile(50), r.percentile(99),
          r.percentile(99.9), r.percentile(100), r.costColumns());
      if (r.name().startsWith("bare")) {
        bare += r.throughput();
      } else if (r.name().endsWith("API key")) {
        key += r.throughput();
      } else {
        token += r.throughput();
      }
    }
    CostProbe.printTotals(results);
    System.out.printf("%nAPI key / bare throughput: %.2f (target >= 0.40, p99 <= 8 ms)%n", key / bare);
    System.out.printf("console token / API key throughput: %.2f (target >= 0.5)%n", token / key);
    System.out.printf("CPU per request (JVM + PostgreSQL): API key / bare %.1f, console token / bare %.1f%n",
        cpuPerRequest(results, "gateway, API key") / cpuPerRequest(results, "bare Vert.x handler"),
        cpuPerRequest(results, "gateway, console token") / cpuPerRequest(results, "bare Vert.x handler"));
  }

  /** JVM and PostgreSQL CPU µs per request of the rows named {@code name}, over all their rounds. */
  private static double cpuPerRequest(List<LoadDriver.Result> results, String name) {
    double micros = 0;
    long requests = 0;
    for (LoadDriver.Result r : results) {
      if (r.name().equals(name) && r.cost() != null) {
        micros += r.cost().jvmCpuMicros() + r.cost().pgCpuMicros();
        requests += r.cost().requests();
      }
    }
    return requests == 0 ? Double.NaN : micros / requests;
  }

  /** What the benchmark calls with: a tenant's API key and its owner's console access token. */
  private record Credentials(String apiKey, String accessToken) {}

  /** A plan without quotas but with a (high) rate limit, so every step of the chain runs. */
  private static Credentials setUp(URI base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String admin = post(http, base, "/v1/auth/login", null, new JsonObject().put("email", ADMIN).put("password", PASSWORD)).getString("access_token");
    post(http, base, "/v1/admin/plans", admin, new JsonObject().put("name", "bench")
        .put("rate_limit", new JsonObject().put("requests_per_second", 1_000_000).put("burst", 1_000_000)));
    String tenant = post(http, base, "/v1/admin/tenants", admin, new JsonObject().put("name", "bench").put("plan", "bench")).getString("id");
    post(http, base, "/v1/admin/tenants/" + tenant + "/users", admin,
        new JsonObject().put("email", "owner@bench.test").put("password", PASSWORD).put("role", "owner"));
    String owner = post(http, base, "/v1/auth/login", null, new JsonObject().put("email", "owner@bench.test").put("password", PASSWORD))
        .getString("access_token");
    String key = post(http, base, "/v1/keys", owner, new JsonObject().put("name", "bench").put("scopes", new JsonArray().add("read")))
        .getString("key");
    return new Credentials(key, owner);
  }

  private static JsonObject post(HttpClient http, URI base, String path, String token, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body());
  }
}
