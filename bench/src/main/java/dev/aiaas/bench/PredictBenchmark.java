package dev.aiaas.bench;

import ai.djl.Device;
import dev.aiaas.crypto.DataKeys;
import dev.aiaas.gateway.config.ConfigLoader;
import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.db.EmbeddedDatabase;
import dev.aiaas.gateway.launcher.Platform;
import dev.aiaas.gateway.models.ModelStore;
import dev.aiaas.gateway.launcher.Role;
import dev.aiaas.worker.serving.StoredModel;
import dev.aiaas.worker.training.TabularModel;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Predict throughput and latency through the gateway versus the same model version called
 * in-process through DJL, side by side in one run on one machine.
 *
 * <p>The platform runs in-process (serve role: gateway and a CPU worker, embedded PostgreSQL). The
 * benchmark trains a tabular MLP through the HTTP API, deploys version 1, and loads that very
 * version a second time into this process from the platform's database ({@code models} row and
 * {@code model_artifact_chunks}) with {@link TabularModel#load}, the code the worker serves it
 * with. A plain Vert.x HTTP server ({@link BareServer}, as many instances as the gateway) answers
 * the JSON a one-instance prediction answers, as the ceiling of any HTTP service on this machine.
 * Rounds alternate between five ways of calling, so drift hits all of them:
 *
 * <ul>
 *   <li>the bare Vert.x handler, {@code POST} with the one-instance body, on {@code connections}
 *       keep-alive connections;
 *   <li>in-process, 1 instance per forward pass, from {@code connections} threads;
 *   <li>gateway, 1 instance per request on {@code connections} keep-alive connections (the
 *       worker's dynamic batcher combines concurrent requests into one forward pass);
 *   <li>in-process, {@code batch} instances per forward pass, from {@code connections} threads;
 *   <li>gateway, {@code batch} instances per request.
 * </ul>
 *
 * <p>Then, once, the in-process calls from a single thread: the bare cost of a call through DJL,
 * without the wait behind other callers.
 *
 * <p>While the in-process rounds run the platform is idle (no load, no training), so they measure
 * DJL and the model alone. Run with {@code MXNET_ENGINE_TYPE=NaiveEngine}, as the workers serve.
 *
 * <p>Arguments: {@code [seconds per round, default 10] [connections, default 32] [rounds, default 2]
 * [instances per batched call, default 32]}.
 */
public final class PredictBenchmark {

  private static final String ADMIN = "bench-admin@aiaas.local";
  private static final String PASSWORD = "bench-admin-password";
  private static final String MODEL = "bench";

  /**
   * For set-up and {@code /metrics}. HTTP/1.1: the JDK client otherwise offers an h2c upgrade,
   * and a reply to that upgrade sometimes never came, hanging the run.
   */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** What one way of predicting measured: its calls, and the instances each call carried. */
  private record Measured(LoadDriver.Result calls, int instancesPerCall, Double meanForwardPass) {}

  /** The rows of one round the targets are ratios of. */
  private record Round(LoadDriver.Result bare, LoadDriver.Result inProcess, LoadDriver.Result gateway) {}

  public static void main(String[] args) throws Exception {
    Duration round = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    Path dataDir = Files.createTempDirectory("aiaas-bench");
    int cores = Runtime.getRuntime().availableProcessors();

    // The benchmark starts the embedded PostgreSQL itself (the platform would hide its address) so
    // that it can read the trained model's artifact from the same database the worker reads it from.
    try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir.resolve("postgres"));
        Platform platform = Platform.start(ConfigLoader.load(Optional.empty(), settings(dataDir, database)), Role.SERVE, false)) {
      URI base = URI.create("http://127.0.0.1:" + platform.httpPort());
      String apiKey = trainAndDeploy(base);
      Vertx driverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
      Vertx bareVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
      try (TabularModel local = loadLocally(database.url(), platform.dataKeys())) {
        List<BareServer> bare = new ArrayList<>();
        Buffer answer = new JsonObject().put("predictions", new JsonArray().add(new JsonObject().put("label", "yes")
            .put("probabilities", new JsonObject().put("no", 0.0123).put("yes", 0.9877)))).put("model", MODEL).put("version", 1).toBuffer();
        bareVertx.deployVerticle(() -> {
          BareServer server = new BareServer(answer);
          bare.add(server);
          return server;
        }, new DeploymentOptions().setInstances(cores)).await();
        int barePort = bare.get(0).port();
        List<Map<String, Object>> instances = instances(batch);
        CostProbe probe = new CostProbe(dataDir, Optional.of(base));
        LoadDriver http = new LoadDriver(driverVertx, connections, probe);
        Map<String, String> headers = Map.of("Authorization", "Bearer " + apiKey, "Content-Type", "application/json");
        Buffer one = body(instances.subList(0, 1));
        Buffer many = body(instances);
        String path = "/v1/models/" + MODEL + "/predict";

        System.out.printf("machine: %d cores, %s %s, JVM %s; MXNET_ENGINE_TYPE=%s; AIAAS_ACCESS_LOG=%s; %d connections/threads,"
                + " %d s rounds, batch %d%n", cores, System.getProperty("os.name"), System.getProperty("os.arch"), Runtime.version(),
            System.getenv("MXNET_ENGINE_TYPE"), System.getenv().getOrDefault("AIAAS_ACCESS_LOG", "true"), connections, round.toSeconds(),
            batch);
        System.out.println("warming up ...");
        probe.printIdle(Duration.ofSeconds(5));
        Duration warmUp = Duration.ofSeconds(5);
        http.run("warm-up", barePort, HttpMethod.POST, path, headers, one, warmUp);
        inProcess("warm-up", local, instances.subList(0, 1), connections, warmUp);
        http.run("warm-up", platform.httpPort(), HttpMethod.POST, path, headers, one, warmUp);
        inProcess("warm-up", local, instances, connections, warmUp);
        http.run("warm-up", platform.httpPort(), HttpMethod.POST, path, headers, many, warmUp);

        List<Measured> results = new ArrayList<>();
        List<Round> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          LoadDriver.Result bareRound = http.run("bare Vert.x handler", barePort, HttpMethod.POST, path, headers, one, round);
          results.add(new Measured(bareRound, 1, null));
          LoadDriver.Result inProcessRound = inProcess("in-process, batch 1", local, instances.subList(0, 1), connections, round, probe);
          results.add(new Measured(inProcessRound, 1, null));
          double[] before = batchSummary(base);
          LoadDriver.Result r = http.run("gateway, 1 per request", platform.httpPort(), HttpMethod.POST, path, headers, one, round);
          results.add(new Measured(r, 1, meanForwardPass(before, batchSummary(base))));
          ratios.add(new Round(bareRound, inProcessRound, r));
          results.add(new Measured(inProcess("in-process, batch " + batch, local, instances, connections, round, probe), batch, null));
          before = batchSummary(base);
          r = http.run("gateway, " + batch + " per request", platform.httpPort(), HttpMethod.POST, path, headers, many, round);
          results.add(new Measured(r, batch, meanForwardPass(before, batchSummary(base))));
        }
        // For reference, once: one caller alone, so no queueing on the model's lock. Its p50 is
        // the cost of one call through DJL; the rows above add the wait behind the other callers.
        results.add(new Measured(inProcess("in-process, batch 1, 1 thread", local, instances.subList(0, 1), 1, round, probe), 1, null));
        results.add(new Measured(inProcess("in-process, batch " + batch + ", 1 thread", local, instances, 1, round, probe), batch, null));
        report(results);
        CostProbe.printTotals(results.stream().map(Measured::calls).toList());
        System.out.println();
        for (int i = 0; i < ratios.size(); i++) {
          Round r = ratios.get(i);
          System.out.printf(Locale.ROOT, "round %d: gateway 1 per request / in-process batch 1 = %.2f (target >= 3); / bare = %.3f"
                  + " (target >= 0.15); gateway p99 %.1f ms (target <= 15); CPU per request (JVM + PostgreSQL) gateway %.0f µs,"
                  + " in-process %.0f µs, bare %.0f µs%n", i + 1,
              r.gateway().throughput() / r.inProcess().throughput(), r.gateway().throughput() / r.bare().throughput(),
              r.gateway().percentile(99) / 1000.0, cpu(r.gateway()), cpu(r.inProcess()), cpu(r.bare()));
        }
      } finally {
        bareVertx.close().await();
        driverVertx.close().await();
      }
    }
  }

  /**
   * The platform's settings: further {@code AIAAS_*} settings from the environment (e.g.
   * {@code AIAAS_ACCESS_LOG=false}), the benchmark's own on top.
   */
  private static Map<String, String> settings(Path dataDir, EmbeddedDatabase database) {
    Map<String, String> settings = new java.util.HashMap<>(System.getenv());
    settings.putAll(Map.of(
        "AIAAS_DATA_DIR", dataDir.toString(),
        "AIAAS_DB_URL", database.url().toUrlWithPassword(),
        "AIAAS_HTTP_PORT", "0",
        "AIAAS_HTTP_HOST", "127.0.0.1",
        "AIAAS_WORKER_DEVICES", "cpu",
        "AIAAS_ADMIN_EMAIL", ADMIN,
        "AIAAS_ADMIN_PASSWORD", PASSWORD,
        "AIAAS_SHUTDOWN_TIMEOUT_SECONDS", "2"));
    return settings;
  }

  /**
   * The in-process baseline: {@code threads} closed-loop callers, each calling {@link
   * TabularModel#predict(List)} (encode, one forward pass through a DJL Predictor, decode) as soon
   * as its previous call returned. The model serializes forward passes, as the worker's batcher
   * thread does, so extra threads add queueing, not parallelism: the same closed loop as the
   * HTTP connections, minus HTTP, the gateway and the event bus.
   */
  private static LoadDriver.Result inProcess(String name, TabularModel model, List<Map<String, Object>> rows, int threads,
      Duration duration) throws InterruptedException {
    return inProcess(name, model, rows, threads, duration, null);
  }

  /** As above, with what the round cost per call measured by {@code probe} (if not null). */
  private static LoadDriver.Result inProcess(String name, TabularModel model, List<Map<String, Object>> rows, int threads,
      Duration duration, CostProbe probe) throws InterruptedException {
    CostProbe.Snapshot before = probe == null ? null : probe.take();
    System.out.println(java.time.Instant.now() + " start: " + name);
    long[][] latencies = new long[threads][];
    long[] counts = new long[threads];
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Thread[] callers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int me = t;
      callers[t] = new Thread(() -> {
        long[] mine = new long[1 << 16];
        int n = 0;
        for (long sent = System.nanoTime(); sent < end; sent = System.nanoTime()) {
          try {
            if (model.predict(rows).size() != rows.size()) {
              errors.incrementAndGet();
            }
          } catch (RuntimeException e) {
            errors.incrementAndGet();
          }
          if (n == mine.length) {
            mine = Arrays.copyOf(mine, n * 2);
          }
          mine[n++] = (System.nanoTime() - sent) / 1_000;
        }
        latencies[me] = Arrays.copyOf(mine, n);
        counts[me] = n;
        CostProbe.ENDED_THREAD_ALLOCATIONS.addAndGet(
            ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes());
      }, "bench-caller-" + t);
      callers[t].start();
    }
    for (Thread caller : callers) {
      caller.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long calls = Arrays.stream(counts).sum();
    CostProbe.Cost cost = probe == null ? null : CostProbe.between(before, probe.take(), calls);
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    return new LoadDriver.Result(name, calls, errors.get(), seconds, all, cost);
  }

  /**
   * The {@code aiaas_predict_batch_instances} summary from {@code /metrics}: count and sum of the
   * forward-pass size each gateway request was served in. The difference over a round tells how
   * many requests the dynamic batcher combined, on average, into the pass a request rode in.
   */
  private static double[] batchSummary(URI base) throws Exception {
    String metrics = HTTP.send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return new double[] {CostProbe.metric(metrics, "aiaas_predict_batch_instances_count"),
        CostProbe.metric(metrics, "aiaas_predict_batch_instances_sum")};
  }

  /** JVM and PostgreSQL CPU µs per call of a row (NaN if not measured). */
  private static double cpu(LoadDriver.Result r) {
    return r.cost() == null ? Double.NaN : r.cost().jvm() + r.cost().pg();
  }

  private static Double meanForwardPass(double[] before, double[] after) {
    double requests = after[0] - before[0];
    return requests > 0 ? (after[1] - before[1]) / requests : null;
  }

  private static void report(List<Measured> results) {
    System.out.println();
    System.out.println("| run | instances/call | calls/s | instances/s | p50 µs | p99 µs | p99.9 µs | errors | mean forward pass"
        + " | JVM CPU µs/call | PostgreSQL CPU µs/call | KiB allocated/call | write transactions/call | usage statements/call |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Measured m : results) {
      LoadDriver.Result r = m.calls();
      CostProbe.Cost c = r.cost();
      System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %,d | %,d | %,d | %d | %s | %s |%n", r.name(), m.instancesPerCall(),
          r.throughput(), r.throughput() * m.instancesPerCall(), r.percentile(50), r.percentile(99), r.percentile(99.9), r.errors(),
          m.meanForwardPass() == null ? "" : String.format(Locale.ROOT, "%.1f", m.meanForwardPass()),
          c == null ? " | | | |" : String.format(Locale.ROOT, "%.0f | %.0f | %.1f | %.3f | %.3f", c.jvm(), c.pg(),
              c.allocatedBytes() / c.requests() / 1024.0, c.writeTransactions() / c.requests(), c.usageStatements() / c.requests()));
    }
  }

  /** Instances shaped like the training rows: x1 and x2 numeric, c categorical. */
  private static List<Map<String, Object>> instances(int n) {
    Random random = new Random(42);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Map.of("x1", random.nextGaussian(), "x2", random.nextGaussian(), "c", random.nextBoolean() ? "a" : "b"));
    }
    return rows;
  }

  private static Buffer body(List<Map<String, Object>> rows) {
    JsonArray instances = new JsonArray();
    rows.forEach(r -> instances.add(new JsonObject(r)));
    return new JsonObject().put("instances", instances).toBuffer();
  }

  /**
   * Through the HTTP API as a tenant would: a plan with a (very high) rate limit and no quotas, a
   * tenant, its owner, a CSV dataset, an MLP (default hidden layers) trained on it, version 1
   * deployed with 2 ms batching. Returns an API key with the predict scope.
   */
  private static String trainAndDeploy(URI base) throws Exception {
    HttpClient http = HTTP;
    String admin = call(http, base, "POST", "/v1/auth/login", null, new JsonObject().put("email", ADMIN).put("password", PASSWORD))
        .getString("access_token");
    call(http, base, "POST", "/v1/admin/plans", admin, new JsonObject().put("name", "bench")
        .put("rate_limit", new JsonObject().put("requests_per_second", 1_000_000).put("burst", 1_000_000)));
    String tenant = call(http, base, "POST", "/v1/admin/tenants", admin, new JsonObject().put("name", "bench").put("plan", "bench"))
        .getString("id");
    call(http, base, "POST", "/v1/admin/tenants/" + tenant + "/users", admin,
        new JsonObject().put("email", "owner@bench.test").put("password", PASSWORD).put("role", "owner"));
    String owner = call(http, base, "POST", "/v1/auth/login", null, new JsonObject().put("email", "owner@bench.test").put("password", PASSWORD))
        .getString("access_token");

    StringBuilder csv = new StringBuilder("x1,x2,c,label\n");
    Random random = new Random(7);
    for (int i = 0; i < 1_000; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s,%s%n", x1, x2, random.nextBoolean() ? "a" : "b",
          x1 + x2 + random.nextGaussian() * 0.1 > 0 ? "yes" : "no"));
    }
    HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(base.resolve("/v1/datasets?name=bench&format=csv"))
        .header("Authorization", "Bearer " + owner).header("Content-Type", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofString(csv.toString(), StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    if (uploaded.statusCode() >= 300) {
      throw new IllegalStateException("dataset upload -> " + uploaded.statusCode() + " " + uploaded.body());
    }
    String job = call(http, base, "POST", "/v1/training-jobs", owner, new JsonObject()
        .put("dataset_id", new JsonObject(uploaded.body()).getString("id")).put("model", MODEL).put("task", "classification")
        .put("label", "label").put("architecture", "mlp").put("seed", 11)
        .put("hyperparameters", new JsonObject().put("epochs", 5))).getString("id");
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    String state;
    do {
      Thread.sleep(250);
      state = call(http, base, "GET", "/v1/training-jobs/" + job, owner, null).getString("state");
    } while (!Set.of("succeeded", "failed", "cancelled").contains(state) && System.nanoTime() < deadline);
    if (!"succeeded".equals(state)) {
      throw new IllegalStateException("training job " + job + " ended " + state);
    }
    call(http, base, "POST", "/v1/models/" + MODEL + "/deployment", owner, new JsonObject().put("version", 1)
        .put("max_batch_size", 32).put("max_batch_delay_ms", 2).put("max_queue", 100_000));
    return call(http, base, "POST", "/v1/keys", owner, new JsonObject().put("name", "bench").put("scopes", new JsonArray().add("predict")))
        .getString("key");
  }

  /**
   * Loads version 1 of the model into this process the way a worker does: its registry row and
   * its parameters (the chunks, in order) from PostgreSQL, then {@link StoredModel#loadTabularModel}.
   */
  private static TabularModel loadLocally(DatabaseUrl url, DataKeys keys) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(url.connectOptions()).using(vertx).build();
      Row row = pool.preparedQuery("SELECT " + StoredModel.COLUMNS + " FROM models m WHERE m.name = $1 AND m.version = 1")
          .execute(Tuple.of(MODEL)).await().iterator().next();
      StoredModel model = StoredModel.from(row);
      // Sealed at rest: opened chunk by chunk with the platform's data keys, as a worker does.
      ByteArrayOutputStream parameters = new ByteArrayOutputStream();
      for (int seq = 0; ; seq++) {
        java.util.Optional<io.vertx.core.buffer.Buffer> chunk = ModelStore.artifactChunk(pool, keys, model.id(), seq).await();
        if (chunk.isEmpty()) {
          break;
        }
        parameters.writeBytes(chunk.get().getBytes());
      }
      pool.close().await();
      return model.loadTabularModel(parameters.toByteArray(), Device.cpu());
    } finally {
      vertx.close().await();
    }
  }

  private static JsonObject call(HttpClient http, URI base, String method, String path, String token, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body());
  }
}
