package dev.aiaas.gateway.export;

import dev.aiaas.gateway.export.TenantExportStore.Claimed;
import dev.aiaas.gateway.export.TenantExportStore.Item;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes one claimed export: {@code metadata.json}, each dataset as uploaded, and each model version's
 * stored parameters with its metadata, reading one stored chunk at a time.
 */
final class ExportBuilder {

  static final Duration LEASE = Duration.ofSeconds(60);

  private final Vertx vertx;
  private final TenantExportStore store;

  ExportBuilder(Vertx vertx, TenantExportStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  Future<Void> build(Claimed job) {
    ZipSink zip = new ZipSink(vertx, store, job.tenantId(), job.id());
    return store.items(job.tenantId()).compose(items -> {
      int total = items.size() + 1;
      Future<Void> written = store.metadata(job.tenantId())
          .compose(metadata -> zip.entry("metadata.json").compose(v -> zip.write(Buffer.buffer(metadata.encodePrettily()))))
          .compose(v -> progress(job, 1, total, zip));
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        int done = i + 2;
        written = written.compose(v -> item(zip, job.tenantId(), item)).compose(v -> progress(job, done, total, zip));
      }
      return written;
    }).compose(v -> zip.finish()).compose(v -> store.finish(job.id(), "succeeded", zip.bytes(), Optional.empty()));
  }

  private Future<Void> item(ZipSink zip, UUID tenantId, Item item) {
    if (item.kind().equals("dataset")) {
      return zip.entry(item.path()).compose(v -> copy(zip, tenantId, item));
    }
    return zip.entry(item.path() + "metadata.json").compose(v -> zip.write(Buffer.buffer(item.metadata().encodePrettily())))
        .compose(v -> zip.entry(item.path() + "model.params")).compose(v -> copy(zip, tenantId, item));
  }

  private Future<Void> copy(ZipSink zip, UUID tenantId, Item item) {
    return store.firstSeq(item).compose(first -> copyFrom(zip, tenantId, item, first));
  }

  private Future<Void> copyFrom(ZipSink zip, UUID tenantId, Item item, int seq) {
    return store.itemChunk(tenantId, item, seq).compose(chunk -> chunk.isEmpty()
        ? Future.succeededFuture()
        : zip.write(chunk.get()).compose(v -> copyFrom(zip, tenantId, item, seq + 1)));
  }

  private Future<Void> progress(Claimed job, int done, int total, ZipSink zip) {
    return store.progress(job.id(), done, total, zip.bytes(), LEASE).compose(mine -> mine
        ? Future.succeededFuture()
        : Future.failedFuture(new IllegalStateException("export " + job.id() + " was taken over or removed")));
  }
}
