package dev.aiaas.gateway.export;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A zip written into an export's chunks as it grows: compression runs on worker threads, and at
 * most about one chunk of output is held in memory before it is stored.
 */
final class ZipSink {

  private static final int CHUNK_BYTES = 1 << 20;

  private final Vertx vertx;
  private final TenantExportStore store;
  private final UUID tenantId;
  private final UUID exportId;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final ZipOutputStream zip = new ZipOutputStream(pending);
  private int seq;
  private long bytes;

  ZipSink(Vertx vertx, TenantExportStore store, UUID tenantId, UUID exportId) {
    this.vertx = vertx;
    this.store = store;
    this.tenantId = tenantId;
    this.exportId = exportId;
  }

  Future<Void> entry(String path) {
    return vertx.<Void>executeBlocking(() -> {
      zip.putNextEntry(new ZipEntry(path));
      return null;
    }).compose(v -> store(false));
  }

  Future<Void> write(Buffer data) {
    return vertx.<Void>executeBlocking(() -> {
      zip.write(data.getBytes());
      return null;
    }).compose(v -> store(false));
  }

  Future<Void> finish() {
    return vertx.<Void>executeBlocking(() -> {
      zip.finish();
      return null;
    }).compose(v -> store(true));
  }

  long bytes() {
    return bytes;
  }

  private Future<Void> store(boolean all) {
    if (pending.size() == 0 || (!all && pending.size() < CHUNK_BYTES)) {
      return Future.succeededFuture();
    }
    byte[] data = pending.toByteArray();
    pending.reset();
    bytes += data.length;
    // finish() always leaves bytes (the zip's central directory), so the last chunk is sealed as such.
    return store.appendChunk(tenantId, exportId, seq++, data, all);
  }
}
