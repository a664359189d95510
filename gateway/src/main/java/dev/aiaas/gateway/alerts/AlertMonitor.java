package dev.aiaas.gateway.alerts;

import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.quota.QuotaPeriod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every few seconds, on every gateway node: records the quota threshold crossings that durable
 * usage shows (the unique constraint makes each one count once, whichever node sees it first),
 * queues one webhook delivery per crossing in the same transaction, and sends the deliveries that
 * are due. Off the request path: requests never wait for alerts.
 */
public final class AlertMonitor {

  static final String EVENT_TYPE = "quota.threshold_crossed";

  /** Metrics counted per period; storage is a level and concurrency a cap, neither crosses within a month. */
  static final List<Metric> PERIOD_METRICS = List.of(Metric.API_CALLS, Metric.PREDICTIONS, Metric.TRAINING_SECONDS);

  /** Deliveries one node claims per tick: bounded, so a backlog drains over ticks instead of at once. */
  private static final int CLAIM_BATCH = 50;

  private static final Logger LOG = LoggerFactory.getLogger(AlertMonitor.class);

  private final Vertx vertx;
  private final Pool pool;
  private final AlertStore store;
  private final WebhookSender sender;
  private final AlertTiming timing;
  private final Clock clock;
  private long timer = -1;
  private boolean running;

  AlertMonitor(Vertx vertx, Pool pool, AlertStore store, WebhookSender sender, AlertTiming timing, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = store;
    this.sender = sender;
    this.timing = timing;
    this.clock = clock;
  }

  public void start() {
    timer = vertx.setPeriodic(timing.evaluateEvery().toMillis(), id -> tick());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void tick() {
    // Timer callbacks of one timer run on one event loop, so the flag needs no lock; a slow tick
    // makes the next ones skip rather than pile up.
    if (running) {
      return;
    }
    running = true;
    evaluate().compose(ignored -> deliverDue())
        .onFailure(failure -> LOG.warn("alert evaluation failed: {}", failure.toString()))
        .onComplete(ignored -> running = false);
  }

  Future<Void> evaluate() {
    QuotaPeriod period = QuotaPeriod.containing(clock.instant());
    String[] metrics = PERIOD_METRICS.stream().map(Metric::wireName).toArray(String[]::new);
    return pool.withTransaction(tx -> store.recordCrossings(tx, period.start(), period.end(), period.toString(), metrics)
        .compose(crossings -> store.queue(tx, deliveries(crossings))));
  }

  private static List<AlertStore.NewDelivery> deliveries(List<AlertStore.Crossing> crossings) {
    List<AlertStore.NewDelivery> deliveries = new ArrayList<>();
    for (AlertStore.Crossing c : crossings) {
      String payload = new JsonObject()
          .put("id", c.id().toString())
          .put("type", EVENT_TYPE)
          .put("tenant_id", c.tenantId().toString())
          .put("metric", c.metric())
          .put("threshold", c.threshold())
          .put("used", c.used().stripTrailingZeros().toPlainString())
          .put("limit", c.limit())
          .put("period", c.period())
          .put("crossed_at", c.crossedAt().toInstant().toString())
          .encode();
      deliveries.add(new AlertStore.NewDelivery(UUID.randomUUID(), c.tenantId(), c.id(), EVENT_TYPE, payload));
    }
    return deliveries;
  }

  private Future<Void> deliverDue() {
    // The lease outlasts one attempt, DNS included, so only a crashed node's claim is ever retaken.
    return store.claimDue(CLAIM_BATCH, timing.requestTimeout().multipliedBy(3))
        .compose(due -> Future.join(due.stream().map(this::attempt).toList()))
        .mapEmpty();
  }

  private Future<Void> attempt(AlertStore.DueDelivery delivery) {
    if (!delivery.hasUrl()) {
      return store.attempted(delivery.id(), "failed", Optional.empty(), Optional.of("no webhook_url is configured"), Optional.empty());
    }
    return sender.send(delivery).compose(outcome -> {
      int attempts = delivery.attempts() + 1;
      if (outcome.delivered()) {
        return store.attempted(delivery.id(), "delivered", Optional.of(outcome.status()), Optional.empty(), Optional.empty());
      }
      boolean giveUp = attempts >= timing.maxAttempts();
      Optional<Instant> next = giveUp ? Optional.empty() : Optional.of(clock.instant().plus(timing.backoff(attempts)));
      return store.attempted(delivery.id(), giveUp ? "failed" : "pending", Optional.ofNullable(outcome.status()),
          Optional.ofNullable(outcome.error()), next);
    });
  }
}
