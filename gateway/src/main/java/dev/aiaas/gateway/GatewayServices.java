package dev.aiaas.gateway;

import dev.aiaas.crypto.DataKeys;
import dev.aiaas.gateway.alerts.AlertRoutes;
import dev.aiaas.gateway.alerts.AlertService;
import dev.aiaas.gateway.audit.AdminAuditRoutes;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.audit.AuditRoutes;
import dev.aiaas.gateway.auth.AccessTokens;
import dev.aiaas.gateway.auth.AuthRoutes;
import dev.aiaas.gateway.auth.AuthService;
import dev.aiaas.gateway.auth.Authenticator;
import dev.aiaas.gateway.auth.Authorization;
import dev.aiaas.gateway.auth.JwtKeys;
import dev.aiaas.gateway.auth.LiveSessions;
import dev.aiaas.gateway.auth.RefreshTokenStore;
import dev.aiaas.gateway.auth.LoginThrottle;
import dev.aiaas.gateway.auth.Passwords;
import dev.aiaas.gateway.billing.BillingAdminRoutes;
import dev.aiaas.gateway.billing.BillingExport;
import dev.aiaas.gateway.billing.BillingService;
import dev.aiaas.gateway.billing.PlanPreview;
import dev.aiaas.gateway.billing.PlanPreviewRoutes;
import dev.aiaas.gateway.billing.InvoiceRoutes;
import dev.aiaas.gateway.billing.InvoiceStore;
import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.datasets.DatasetRoutes;
import dev.aiaas.gateway.erasure.TenantErasure;
import dev.aiaas.gateway.erasure.TenantErasureRoutes;
import dev.aiaas.gateway.export.TenantExportRoutes;
import dev.aiaas.gateway.export.TenantExports;
import dev.aiaas.gateway.datasets.DatasetService;
import dev.aiaas.gateway.datasets.DatasetStore;
import dev.aiaas.gateway.health.HealthRoutes;
import dev.aiaas.gateway.models.ModelExport;
import dev.aiaas.gateway.models.ModelRoutes;
import dev.aiaas.gateway.models.ModelService;
import dev.aiaas.gateway.models.ModelStore;
import dev.aiaas.gateway.batch.BatchPredictionRoutes;
import dev.aiaas.gateway.batch.BatchPredictionService;
import dev.aiaas.gateway.batch.BatchPredictionStore;
import dev.aiaas.gateway.batch.BatchTracker;
import dev.aiaas.gateway.serving.DeploymentService;
import dev.aiaas.gateway.serving.DeploymentStore;
import dev.aiaas.gateway.serving.InferenceProtocolRoutes;
import dev.aiaas.gateway.serving.PredictionClient;
import dev.aiaas.gateway.serving.RouteTable;
import dev.aiaas.gateway.serving.Predictions;
import dev.aiaas.gateway.serving.ServingRoutes;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import dev.aiaas.gateway.jobs.JobDispatcher;
import dev.aiaas.gateway.jobs.JobOutcomes;
import dev.aiaas.gateway.jobs.LeasedQueue;
import dev.aiaas.worker.api.ServingAddresses;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.gateway.training.JobTracker;
import dev.aiaas.gateway.training.TrainingJobStore;
import dev.aiaas.gateway.training.TrainingRoutes;
import dev.aiaas.gateway.training.TrainingService;
import dev.aiaas.gateway.tuning.TuningRoutes;
import dev.aiaas.gateway.tuning.TuningScheduler;
import dev.aiaas.gateway.tuning.TuningService;
import dev.aiaas.gateway.http.ApiContract;
import dev.aiaas.gateway.http.OperationalRoutes;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.ProtectedChain;
import dev.aiaas.gateway.keys.ApiKeyAuthenticator;
import dev.aiaas.gateway.keys.ApiKeyRoutes;
import dev.aiaas.gateway.keys.ApiKeyService;
import dev.aiaas.gateway.keys.ApiKeyStore;
import dev.aiaas.gateway.keys.KeyUsageTracker;
import dev.aiaas.gateway.metrics.MetricsRoutes;
import dev.aiaas.gateway.plans.PlanRoutes;
import dev.aiaas.gateway.plans.PlanService;
import dev.aiaas.gateway.plans.PlanStore;
import dev.aiaas.gateway.tenants.AdminTenantRoutes;
import dev.aiaas.gateway.tenants.TenantDirectory;
import dev.aiaas.gateway.tenants.TenantOverview;
import dev.aiaas.gateway.tenants.TenantRoutes;
import dev.aiaas.gateway.tenants.TenantService;
import dev.aiaas.gateway.tenants.TenantStore;
import dev.aiaas.gateway.users.TeamRoutes;
import dev.aiaas.gateway.users.TeamService;
import dev.aiaas.gateway.users.UserStore;
import dev.aiaas.gateway.workers.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import dev.aiaas.gateway.idempotency.Idempotency;
import dev.aiaas.gateway.metering.Metering;
import dev.aiaas.gateway.metering.StorageMeter;
import dev.aiaas.gateway.metering.UsageRecorder;
import dev.aiaas.gateway.metering.UsageRoutes;
import dev.aiaas.gateway.metering.UsageStore;
import dev.aiaas.gateway.quota.QuotaLedger;
import dev.aiaas.gateway.quota.RateLimitStep;
import dev.aiaas.gateway.quota.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The gateway of one process, wired once: stores, services, caches and the operations of the
 * contract. Every HTTP server instance (one per event loop) routes to these shared objects.
 */
public final class GatewayServices {

  private final AiaasConfig config;
  private final TenantDirectory tenants;
  private final ApiKeyAuthenticator keyAuthenticator;
  private final LiveSessions sessions;
  private final KeyUsageTracker keyUsage;
  private final Passwords passwords;
  private final Operations operations = new Operations();
  private final Vertx vertx;
  private final UsageStore usageStore;
  private final UsageRecorder recorder;
  private final QuotaLedger quotas;
  private final TuningScheduler tuning;
  private final RateLimiter rateLimiter;
  private final Idempotency idempotency;
  private final JobDispatcher dispatcher;
  private final JobTracker tracker;
  private final StorageMeter storage;
  private final List<Long> timers = new java.util.ArrayList<>();
  private final TenantExports exports;
  private final ProtectedChain chain;
  private final RouteTable routes;
  private final BatchTracker batches;
  private final JobDispatcher batchDispatcher;
  private final Buffer contract;
  private volatile ApiContract apiContract;
  private final AlertService alerts;

  public GatewayServices(Vertx vertx, AiaasConfig config, Pool pool, DataKeys dataKeys, WorkerRegistry workers, JwtKeys jwtKeys, Buffer contract,
      String schemaVersion, String metricsRegistry, Passwords passwords) {
    this.config = config;
    this.passwords = passwords;
    this.contract = contract;
    Clock clock = Clock.systemUTC();
    AuditLog audit = new AuditLog(pool);
    UserStore users = new UserStore(pool);
    PlanStore plans = new PlanStore(pool);
    this.tenants = new TenantDirectory(vertx, new TenantStore(pool));
    ApiKeyStore keyStore = new ApiKeyStore(pool);
    this.keyUsage = new KeyUsageTracker(vertx, keyStore, clock);
    this.keyAuthenticator = new ApiKeyAuthenticator(vertx, keyStore, keyUsage, clock);
    AccessTokens tokens = new AccessTokens(vertx, jwtKeys);
    this.sessions = new LiveSessions(vertx, sessionId -> AuthService.sessionAlive(pool, sessionId));

    UsageStore usageStore = new UsageStore(pool);
    this.usageStore = usageStore;
    this.recorder = new UsageRecorder(vertx, usageStore, batchSizes(metricsRegistry));
    this.quotas = new QuotaLedger(vertx, usageStore, clock);
    this.rateLimiter = new RateLimiter(System::nanoTime);
    this.idempotency = new Idempotency(pool, dataKeys);
    this.vertx = vertx;
    // The request path, in order: who is calling, how fast, may they, is it a retry, is there quota left.
    this.chain = new ProtectedChain(
        List.of(new Authenticator(tokens, sessions, keyAuthenticator, tenants), new RateLimitStep(rateLimiter)),
        Authorization::requiring,
        List.of(idempotency, new Metering(quotas, recorder, clock)));

    new HealthRoutes(pool, schemaVersion, workers).register(operations);
    new MetricsRoutes(metricsRegistry).register(operations);
    new OperationalRoutes(contract).register(operations);
    new AuthRoutes(new AuthService(pool, users, passwords, tokens, new LoginThrottle(clock), audit, clock, sessions), tokens).register(operations);
    PlanService planService = new PlanService(plans, () -> tenants.publishChange(Optional.empty()));
    new PlanRoutes(planService, audit).register(operations);
    InvoiceStore invoiceStore = new InvoiceStore();
    BillingService billing = new BillingService(pool, invoiceStore, audit, clock);
    TenantStore tenantStore = new TenantStore(pool);
    TenantService tenantService = new TenantService(pool, tenantStore, plans, users, passwords, tenants, audit);
    TeamService team = new TeamService(pool, users, tenantService, new RefreshTokenStore(), sessions, audit);
    new AdminTenantRoutes(tenantService, new TenantOverview(tenantStore, billing, clock), team).register(operations);
    new TeamRoutes(team).register(operations);
    this.storage = new StorageMeter(vertx, pool);
    this.alerts = new AlertService(vertx, pool, dataKeys, audit, config.webhookAllowPrivate(), config.alertTiming(), clock);
    new AlertRoutes(alerts).register(operations);
    new TenantRoutes(tenants, usageStore, storage, clock, alerts).register(operations);
    new UsageRoutes(usageStore, clock).register(operations);
    new ApiKeyRoutes(new ApiKeyService(pool, keyStore, keyAuthenticator, audit, clock)).register(operations);
    new AuditRoutes(audit).register(operations);
    new AdminAuditRoutes(audit).register(operations);
    DatasetStore datasetStore = new DatasetStore(pool, dataKeys);
    new DatasetRoutes(new DatasetService(vertx, pool, dataKeys, datasetStore, storage, config.imageArchiveLimits()), datasetStore, storage).register(operations);
    TrainingJobStore jobStore = new TrainingJobStore(pool);
    ModelStore modelStore = new ModelStore(pool, dataKeys);
    LeasedQueue trainingQueue = jobStore.queue();
    this.dispatcher = new JobDispatcher(vertx, trainingQueue, TrainingAddresses.RUN, "training jobs");
    JobOutcomes outcomes = new JobOutcomes(pool, usageStore, storage, clock);
    this.tracker = new JobTracker(vertx, jobStore, trainingQueue, modelStore, outcomes);
    new TrainingRoutes(new TrainingService(vertx, jobStore, datasetStore, dispatcher)).register(operations);
    this.tuning = new TuningScheduler(vertx, pool, modelStore, storage, dispatcher, clock);
    new TuningRoutes(new TuningService(pool, datasetStore, tuning)).register(operations);
    new ModelRoutes(modelStore, new ModelService(vertx, pool, modelStore, audit, storage), new ModelExport(vertx, modelStore, audit))
        .register(operations);

    DeploymentStore deployments = new DeploymentStore(pool);
    this.routes = new RouteTable(vertx, deployments);
    PredictionClient predictionClient = new PredictionClient(vertx, routes, meters(metricsRegistry));
    Predictions predictions = new Predictions(routes, deployments, predictionClient, quotas);
    new ServingRoutes(new DeploymentService(vertx, deployments, routes, predictionClient, audit), predictions).register(operations);
    new TenantErasureRoutes(new TenantErasure(vertx, pool, dataKeys, audit, tenants, keyAuthenticator, sessions, routes)).register(operations);
    this.exports = new TenantExports(vertx, pool, dataKeys, audit);
    new TenantExportRoutes(exports).register(operations);
    new InferenceProtocolRoutes(predictions, predictionClient, workers).register(operations);
    BatchPredictionStore batchStore = new BatchPredictionStore(pool, dataKeys);
    this.batchDispatcher = new JobDispatcher(vertx, batchStore.queue(), ServingAddresses.BATCH_RUN, "batch predictions");
    this.batches = new BatchTracker(vertx, batchStore, outcomes);
    new BatchPredictionRoutes(new BatchPredictionService(pool, batchStore, datasetStore, quotas, batchDispatcher, batches, storage),
        batchStore).register(operations);
    new InvoiceRoutes(billing).register(operations);
    new BillingAdminRoutes(billing, new BillingExport(pool, invoiceStore, billing, clock)).register(operations);
    new PlanPreviewRoutes(planService, new PlanPreview(clock)).register(operations);
  }

  public Future<Void> start() {
    keyUsage.start();
    timers.add(vertx.setPeriodic(Duration.ofMinutes(1).toMillis(), id -> rateLimiter.evictIdle()));
    timers.add(idempotency.scheduleExpiry(vertx));
    timers.add(vertx.setPeriodic(Duration.ofHours(6).toMillis(), id -> usageStore.ensurePartitions(Instant.now())));
    dispatcher.start();
    batchDispatcher.start();
    storage.start();
    alerts.monitor().start();
    exports.start();
    Future<Void> contractLoaded = ApiContract.load(vertx, contract).onSuccess(loaded -> apiContract = loaded).mapEmpty();
    return Future.all(List.of(contractLoaded, tenants.start(), keyAuthenticator.start(), sessions.start(), tracker.start(), tuning.start(), usageStore.ensurePartitions(Instant.now()),
        routes.start(), batches.start())).mapEmpty();
  }

  /** Observes the events per usage batch in {@code /metrics} (group commit at work). */
  private static java.util.function.IntConsumer batchSizes(String registryName) {
    DistributionSummary summary = summary(registryName, "aiaas.usage.batch.events", "usage events written per statement");
    return summary::record;
  }

  /** A summary shown in {@code /metrics}; one that goes nowhere when metrics are off. */
  private static DistributionSummary summary(String registryName, String name, String description) {
    return DistributionSummary.builder(name).description(description).register(meters(registryName));
  }

  /** The registry {@code /metrics} shows; one that goes nowhere when metrics are off. */
  private static MeterRegistry meters(String registryName) {
    MeterRegistry registry = BackendRegistries.getNow(registryName);
    return registry == null ? new SimpleMeterRegistry() : registry;
  }

  public Operations operations() {
    return operations;
  }

  public ProtectedChain chain() {
    return chain;
  }

  /** Which console sessions are alive, on this node. */
  public LiveSessions sessions() {
    return sessions;
  }

  /** The contract parsed and resolved, once for every HTTP server; available after {@link #start()}. */
  public ApiContract apiContract() {
    return apiContract;
  }

  /** The OpenAPI contract as served and as the router is built from. */
  public Buffer contract() {
    return contract;
  }

  public AiaasConfig config() {
    return config;
  }

  public Future<Void> stop() {
    timers.forEach(vertx::cancelTimer);
    dispatcher.stop();
    batchDispatcher.stop();
    storage.stop();
    alerts.monitor().stop();
    exports.stop();
    return Future.join(List.of(tracker.stop(), tuning.stop(), keyUsage.stop(), tenants.stop(), keyAuthenticator.stop(), sessions.stop(), quotas.returnLeases(),
        passwords.close(), routes.stop(), batches.stop())).mapEmpty();
  }
}
