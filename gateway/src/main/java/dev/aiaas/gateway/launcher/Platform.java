package dev.aiaas.gateway.launcher;

import dev.aiaas.crypto.DataKeys;
import dev.aiaas.crypto.KeyFileException;
import dev.aiaas.crypto.MasterKey;
import dev.aiaas.gateway.GatewayServices;
import dev.aiaas.gateway.StartupException;
import dev.aiaas.gateway.auth.DatabaseSessionEndings;
import dev.aiaas.gateway.auth.JwtKeys;
import dev.aiaas.gateway.auth.Passwords;
import dev.aiaas.gateway.cluster.ClusterManagers;
import dev.aiaas.gateway.cluster.GatewayMessages;
import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.db.EmbeddedDatabase;
import dev.aiaas.gateway.db.Installation;
import dev.aiaas.gateway.db.SchemaMigrator;
import dev.aiaas.gateway.http.ApiRouter;
import dev.aiaas.gateway.http.GatewayVerticle;
import dev.aiaas.gateway.metrics.Metrics;
import dev.aiaas.gateway.users.AdminBootstrap;
import dev.aiaas.gateway.users.UserStore;
import dev.aiaas.gateway.workers.WorkerRegistry;
import dev.aiaas.migrations.MigrationReport;
import dev.aiaas.worker.DeployedWorkers;
import dev.aiaas.worker.Workers;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running aiaas process: database (embedded or external), schema, Vert.x, the gateway's HTTP
 * servers and the worker verticles, started in that order and stopped in reverse. Start and close
 * block, so they run on the launcher's thread, never on an event loop.
 */
public final class Platform implements AutoCloseable {

  /** How often workers announce themselves; the registry drops one after three misses. */
  static final Duration WORKER_HEARTBEAT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  private final AiaasConfig config;
  private final AtomicBoolean closed = new AtomicBoolean();
  private EmbeddedDatabase embedded;
  private Vertx vertx;
  private WorkerRegistry registry;
  private GatewayServices services;
  private DatabaseSessionEndings sessionEndings;
  private DeployedWorkers workers;
  private final List<String> gatewayDeployments = new ArrayList<>();
  private int httpPort = -1;
  private final List<GatewayVerticle> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Installation installation;
  private DataKeys dataKeys;

  private Platform(AiaasConfig config) {
    this.config = config;
  }

  /** Starts the parts {@code role} runs; on failure, stops what had started and throws. */
  public static Platform start(AiaasConfig config, Role role, boolean cluster) {
    Platform platform = new Platform(config);
    try {
      platform.startUp(role, cluster);
      return platform;
    } catch (RuntimeException e) {
      platform.close();
      throw e;
    }
  }

  private void startUp(Role role, boolean cluster) {
    createDataDir();
    Optional<DatabaseUrl> database = Optional.empty();
    MigrationReport schema = null;
    if (role.runsGateway()) {
      DatabaseUrl url = config.databaseUrl().orElseGet(this::startEmbeddedDatabase);
      database = Optional.of(url);
      schema = SchemaMigrator.migrate(url);
      LOG.info("database: {} (schema version {}, {} migration(s) applied now)",
          embedded != null ? "embedded PostgreSQL at " + embedded.dataDir() : "external " + url.host() + ":" + url.port() + "/" + url.database(),
          schema.currentVersion(), schema.applied());
    }
    if (database.isEmpty()) {
      // A worker-only process has no database of its own: it reads datasets from the cluster's.
      database = Optional.of(config.databaseUrl().orElseThrow(() -> new StartupException(
          "AIAAS_DB_URL: the worker role reads datasets from the platform's PostgreSQL; set it to the gateways' database")));
    }
    String metricsRegistry = "aiaas-" + UUID.randomUUID();
    vertx = createVertx(metricsRegistry, cluster);
    // Before any consumer or send: every message is a record with its codec, whatever the role.
    GatewayMessages.registerCodecs(vertx);
    Pool pool = PgBuilder.pool()
        // Bounded waits: with the database down, requests fail fast with 503 instead of piling up.
        .with(new PoolOptions().setMaxSize(16).setMaxWaitQueueSize(2_000).setConnectionTimeout(5).setConnectionTimeoutUnit(TimeUnit.SECONDS))
        .with(new io.vertx.core.net.NetClientOptions().setConnectTimeout(5_000))
        .connectingTo(database.get().connectOptions())
        .using(vertx)
        .build();
    MasterKey masterKey = loadMasterKey(role);
    // Before anything reads or writes tenant data: a wrong key file stops the process here, not on every read.
    await(DataKeys.checkMasterKey(pool, masterKey), "check the master key");
    LOG.info("encryption at rest: master key {} from {}", masterKey.id(), masterKey.file());
    dataKeys = new DataKeys(vertx, pool, masterKey);
    if (role.runsWorkers()) {
      workers = await(Workers.deploy(vertx, config.workerDevices(), WORKER_HEARTBEAT, pool, dataKeys, config.modelCacheDir(),
          config.imageArchiveLimits()), "start the workers");
      LOG.info("workers: {}", workers.describe());
    }
    if (role.runsGateway()) {
      installation = await(Installation.ensure(pool), "read the installation record");
      LOG.info("installation {} (created {})", installation.id(), installation.createdAt());
      registry = new WorkerRegistry(vertx, WORKER_HEARTBEAT, Clock.systemUTC());
      await(registry.start(), "listen for workers");
      JwtKeys jwtKeys = JwtKeys.loadOrCreate(config.jwtKeyFile());
      Passwords passwords = new Passwords(vertx);
      LOG.info(await(AdminBootstrap.ensure(pool, new UserStore(pool), passwords, config, System.out), "create the platform admin"));
      Buffer contract = await(vertx.fileSystem().readFile(ApiRouter.CONTRACT), "read the API contract");
      services = new GatewayServices(vertx, config, pool, dataKeys, registry, jwtKeys, contract, schema.latestVersion(), metricsRegistry, passwords);
      await(services.start(), "start the gateway services");
      sessionEndings = await(DatabaseSessionEndings.listen(vertx, database.get().connectOptions(), services.sessions()),
          "listen for sessions ended outside the cluster");
      startGateway(services);
      LOG.info("API: {}/v1 (OpenAPI at {}/openapi.yaml)", baseUrl(), baseUrl());
      LOG.info("console: {}/console/", baseUrl());
    }
  }

  private void createDataDir() {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new StartupException("AIAAS_DATA_DIR: cannot create " + config.dataDir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A gateway creates the key file at the installation's first start; a worker-only process must
   * be given the gateways' file, since a key of its own could never open their data.
   */
  private MasterKey loadMasterKey(Role role) {
    try {
      return role.runsGateway() ? MasterKey.loadOrCreate(config.masterKeyFile()) : MasterKey.load(config.masterKeyFile());
    } catch (KeyFileException e) {
      throw new StartupException(e.getMessage() + (role.runsGateway() ? "" : "; give every worker the gateways' key file"), e);
    }
  }

  private DatabaseUrl startEmbeddedDatabase() {
    embedded = EmbeddedDatabase.start(config.embeddedDatabaseDir());
    return embedded.url();
  }

  private Vertx createVertx(String metricsRegistry, boolean cluster) {
    VertxBuilder builder = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(Metrics.options(metricsRegistry)))
        .withMetrics(new MicrometerMetricsFactory());
    if (!cluster) {
      return builder.build();
    }
    return await(builder.withClusterManager(ClusterManagers.hazelcast(config.clusterMembers(), "aiaas")).buildClustered(),
        "join the cluster " + config.clusterMembers());
  }

  /**
   * One server per event loop, all on the configured port: Vert.x shares one listening socket
   * among them. Port 0 becomes -1, Vert.x's "one random port shared by every server" (plain 0
   * would give each server a port of its own).
   */
  private void startGateway(GatewayServices context) {
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    int port = config.httpPort() == 0 ? -1 : config.httpPort();
    List<GatewayVerticle> servers = this.servers;
    gatewayDeployments.add(await(vertx.deployVerticle(() -> {
      GatewayVerticle server = new GatewayVerticle(context, port);
      servers.add(server);
      return server;
    }, new DeploymentOptions().setInstances(instances)), "start the HTTP server on " + config.httpHost() + ":" + config.httpPort()));
    httpPort = servers.get(0).actualPort();
    if (servers.stream().anyMatch(s -> s.actualPort() != httpPort)) {
      throw new StartupException("HTTP servers bound different ports; expected all on " + httpPort);
    }
  }

  private String baseUrl() {
    String host = "0.0.0.0".equals(config.httpHost()) || "::".equals(config.httpHost()) ? "localhost" : config.httpHost();
    return "http://" + host + ":" + httpPort;
  }

  /** The port the gateway listens on, or -1 when this process runs no gateway. */
  public int httpPort() {
    return httpPort;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The tenants' data keys under this process's master key. */
  public DataKeys dataKeys() {
    return dataKeys;
  }

  public Optional<Installation> installation() {
    return Optional.ofNullable(installation);
  }

  /**
   * Stops in reverse order: the HTTP servers first (they stop accepting and let in-flight
   * requests finish within the shutdown timeout), then workers, Vert.x and the database.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long bound = config.shutdownTimeout().toMillis() + 10_000;
    if (vertx != null) {
      // Drain before undeploying: an undeploying verticle drops event-bus replies to its context,
      // and the requests still in flight wait for such replies (predictions from the workers).
      quietly(Future.join(servers.stream().map(GatewayVerticle::drain).toList()), bound, "drain the HTTP servers");
      for (String id : gatewayDeployments) {
        quietly(vertx.undeploy(id), bound, "stop the HTTP server");
      }
      if (sessionEndings != null) {
        quietly(sessionEndings.close(), bound, "stop listening for ended sessions");
      }
      if (services != null) {
        quietly(services.stop(), bound, "stop the gateway services");
      }
      if (registry != null) {
        quietly(registry.stop(), bound, "stop the worker registry");
      }
      if (workers != null) {
        quietly(workers.undeploy(vertx), bound, "stop the workers");
      }
      quietly(vertx.close(), bound, "close Vert.x");
    }
    if (embedded != null) {
      embedded.close();
    }
    LOG.info("stopped");
  }

  private static <T> T await(Future<T> future, String what) {
    try {
      return future.await(5, TimeUnit.MINUTES);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new StartupException("timed out trying to " + what);
    } catch (StartupException e) {
      throw e;
    } catch (Exception e) {
      throw new StartupException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  private static void quietly(Future<?> future, long millis, String what) {
    try {
      future.await(millis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("could not {} cleanly: {}", what, e.getMessage());
    }
  }
}
