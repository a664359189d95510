package dev.aiaas.gateway.export;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenant data exports: requested by an owner, built asynchronously by whichever gateway node claims
 * them (one at a time per node), and resumed from scratch by any node when the one building an
 * export stopped (its lease ran out).
 */
public final class TenantExports {

  private static final Logger LOG = LoggerFactory.getLogger(TenantExports.class);
  private static final Duration POLL = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final TenantExportStore store;
  private final ExportBuilder builder;
  private final AuditLog audit;
  private boolean building;
  private long timer = -1;

  public TenantExports(Vertx vertx, Pool pool, DataKeys keys, AuditLog audit) {
    this.vertx = vertx;
    this.store = new TenantExportStore(pool, keys);
    this.builder = new ExportBuilder(vertx, store);
    this.audit = audit;
  }

  public void start() {
    timer = vertx.setPeriodic(POLL.toMillis(), id -> buildNext());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Queues an export of the tenant's data and starts it on this node if it is idle. */
  public Future<JsonObject> request(UUID tenantId, Optional<UUID> by, AuditEvent event) {
    return store.insert(tenantId, by)
        .compose(job -> audit.record(event.target("export:" + job.getString("id"))).map(job))
        .onSuccess(job -> buildNext());
  }

  /** The export with its state and progress; 404 for another tenant's. */
  public Future<JsonObject> get(UUID tenantId, UUID id) {
    return store.find(tenantId, id).map(found -> found.orElseThrow(() -> ApiException.notFound("no export with id " + id)));
  }

  /** The export once it succeeded, for its download (audited); 409 before. */
  public Future<JsonObject> downloadable(UUID tenantId, UUID id, AuditEvent event) {
    return get(tenantId, id).compose(job -> "succeeded".equals(job.getString("state"))
        ? audit.record(event.target("export:" + id).detail("bytes", job.getLong("bytes"))).map(job)
        : Future.failedFuture(ApiException.conflict("export-not-ready",
            "export " + id + " is " + job.getString("state") + "; it can be downloaded once it has succeeded")));
  }

  Future<Optional<Buffer>> chunk(UUID tenantId, UUID id, int seq) {
    return store.chunk(tenantId, id, seq);
  }

  private void buildNext() {
    if (building) {
      return;
    }
    building = true;
    store.claim(ExportBuilder.LEASE).compose(claimed -> {
      if (claimed.isEmpty()) {
        return Future.succeededFuture(false);
      }
      TenantExportStore.Claimed job = claimed.get();
      return builder.build(job)
          .recover(failure -> {
            LOG.warn("export {} of tenant {} failed: {}", job.id(), job.tenantId(), failure.toString());
            return store.finish(job.id(), "failed", 0, Optional.of("the export could not be written; request a new one"));
          })
          .map(true);
    }).onComplete(result -> {
      building = false;
      if (result.failed()) {
        LOG.warn("could not claim a tenant export: {}", result.cause().toString());
      } else if (result.result()) {
        buildNext();
      }
    });
  }
}
