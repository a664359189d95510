package dev.aiaas.gateway.datasets;

import dev.aiaas.crypto.DataKeys;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.metering.StorageMeter;
import dev.aiaas.gateway.tenants.Tenant;
import dev.aiaas.worker.data.ColumnSchema;
import dev.aiaas.worker.data.ColumnType;
import dev.aiaas.worker.data.CsvTable;
import dev.aiaas.worker.data.DataException;
import dev.aiaas.worker.data.DatasetChunks;
import io.vertx.sqlclient.Pool;
import dev.aiaas.worker.images.ImageArchive;
import dev.aiaas.worker.training.TrainingSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Receives dataset uploads: the body streams into PostgreSQL chunk by chunk (the request is paused
 * while a chunk is written, so a fast client cannot fill the gateway's memory), then the file is
 * validated off the event loop. A file that fails validation is deleted again: a bad upload
 * changes nothing.
 */
public final class DatasetService {

  /** Bytes per stored chunk. */
  static final int CHUNK_BYTES = 1 << 20;

  /** Rows a CSV may have. */
  static final int MAX_ROWS = 2_000_000;

  /** Upload size when the plan sets no {@code upload_bytes} limit. */
  static final long DEFAULT_MAX_UPLOAD = 1L << 30;

  private final Vertx vertx;
  private final Pool pool;
  private final DataKeys keys;
  private final DatasetStore store;
  private final StorageMeter storage;
  private final ImageArchive.Limits archiveLimits;

  /** {@code archiveLimits}: what an image zip may hold (configured, {@code AIAAS_IMAGE_*}). */
  public DatasetService(Vertx vertx, Pool pool, DataKeys keys, DatasetStore store, StorageMeter storage,
      ImageArchive.Limits archiveLimits) {
    this.vertx = vertx;
    this.pool = pool;
    this.keys = keys;
    this.store = store;
    this.storage = storage;
    this.archiveLimits = archiveLimits;
  }

  public Future<Dataset> upload(Tenant tenant, String name, String format, HttpServerRequest request) {
    long maxUpload = tenant.plan().limit("upload_bytes").orElse(DEFAULT_MAX_UPLOAD);
    String declared = request.getHeader("Content-Length");
    if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > maxUpload) {
      return Future.failedFuture(tooLarge(maxUpload));
    }
    return checkStorage(tenant, declared == null ? 0 : Long.parseLong(declared))
        .compose(ok -> store.create(tenant.id(), name, format))
        .compose(id -> receive(tenant.id(), id, request, maxUpload)
            .compose(bytes -> validate(tenant, id, format, bytes))
            .recover(failure -> store.delete(tenant.id(), id).transform(ignored -> Future.failedFuture(failure))))
        .compose(dataset -> storage.sample(tenant.id()).map(dataset));
  }

  private Future<Void> checkStorage(Tenant tenant, long incoming) {
    OptionalLong limit = tenant.plan().limit("storage_bytes");
    if (limit.isEmpty() || tenant.plan().isSoft("storage_bytes")) {
      return Future.succeededFuture();
    }
    return storage.stored(tenant.id()).compose(stored -> stored + incoming > limit.getAsLong()
        ? Future.failedFuture(ApiException.tooManyRequests("quota-exceeded", "the plan's storage of " + limit.getAsLong()
            + " bytes would be exceeded (" + stored + " stored); delete datasets or change plan", 3600)
            .withExtension("metric", "storage_bytes").withExtension("limit", limit.getAsLong()).withExtension("used", stored))
        : Future.succeededFuture());
  }

  /** Streams the body into chunks; completes with the byte count. */
  private Future<Long> receive(UUID tenantId, UUID id, HttpServerRequest request, long maxUpload) {
    ChunkWriter writer = new ChunkWriter(tenantId, id, request, maxUpload);
    request.handler(writer::accept);
    request.exceptionHandler(writer.done::tryFail);
    request.endHandler(v -> writer.finish());
    request.resume();
    return writer.done.future();
  }

  /**
   * Cuts the body into chunks and writes them one after the other, pausing the client meanwhile.
   * A full chunk is written only once more data follows, so the end of the body always leaves a
   * last chunk to seal as the last one (a truncated dataset then fails to open).
   */
  private final class ChunkWriter {
    final Promise<Long> done = Promise.promise();
    private final UUID tenantId;
    private final UUID id;
    private final HttpServerRequest request;
    private final long maxUpload;
    private Buffer pending = Buffer.buffer();
    private long total;
    private int seq;
    private Future<Void> writing = Future.succeededFuture();

    ChunkWriter(UUID tenantId, UUID id, HttpServerRequest request, long maxUpload) {
      this.tenantId = tenantId;
      this.id = id;
      this.request = request;
      this.maxUpload = maxUpload;
    }

    void accept(Buffer data) {
      total += data.length();
      if (total > maxUpload) {
        request.handler(null).endHandler(null);
        done.tryFail(tooLarge(maxUpload));
        return;
      }
      pending.appendBuffer(data);
      if (pending.length() > CHUNK_BYTES) {
        Buffer chunk = pending.getBuffer(0, CHUNK_BYTES);
        pending = pending.getBuffer(CHUNK_BYTES, pending.length());
        request.pause();
        write(chunk, false).onSuccess(v -> request.resume());
      }
    }

    void finish() {
      Buffer last = pending;
      (last.length() == 0 ? writing : write(last, true)).onSuccess(v -> done.tryComplete(total));
    }

    private Future<Void> write(Buffer chunk, boolean last) {
      int n = seq++;
      writing = writing.compose(v -> store.appendChunk(tenantId, id, n, chunk, last)).onFailure(done::tryFail);
      return writing;
    }
  }

  private Future<Dataset> validate(Tenant tenant, UUID id, String format, long bytes) {
    if (bytes == 0) {
      return Future.failedFuture(invalid(0, null, "the upload is empty"));
    }
    // Read back chunk by chunk on a worker thread: the raw upload is never held whole.
    return vertx.executeBlocking(() -> {
          try (InputStream content = DatasetChunks.open(pool, keys, tenant.id(), id)) {
            return summarize(format, content, archiveLimits);
          }
        }, false)
        .recover(failure -> Future.failedFuture(failure instanceof DataException data
            ? invalid(data.line(), data.column().orElse(null), data.getMessage()) : failure))
        .compose(summary -> store.markReady(tenant.id(), id, bytes, summary.rows(), summary.schema(), summary.preview()));
  }

  /** What is stored about a validated file: its size in rows (or images), schema and first rows. */
  private record Summary(int rows, JsonArray schema, JsonArray preview) {}

  /** Parses and checks the whole file (blocking: a worker thread). */
  private static Summary summarize(String format, InputStream content, ImageArchive.Limits archiveLimits) throws Exception {
    if (format.equals("images")) {
      // Streamed entry by entry: each image is decoded to check it, then dropped.
      ImageArchive archive = ImageArchive.scan(content, archiveLimits, (label, entry, image) -> {});
      JsonObject counts = new JsonObject();
      archive.counts().forEach(counts::put);
      // The folder is the label: shown as one categorical column, like a CSV's label column.
      JsonArray schema = new JsonArray().add(new JsonObject().put("name", TrainingSpec.IMAGE_LABEL).put("type", "categorical")
          .put("missing", 0).put("distinct", archive.classes().size()).put("counts", counts));
      JsonArray preview = new JsonArray();
      archive.preview().forEach(image -> preview.add(new JsonObject().put("entry", image.entry())
          .put(TrainingSpec.IMAGE_LABEL, image.label()).put("width", image.width()).put("height", image.height())));
      return new Summary(archive.imageCount(), schema, preview);
    }
    CsvTable table = CsvTable.parse(content, MAX_ROWS);
    return new Summary(table.rows(), schema(table), preview(table));
  }

  private static JsonArray schema(CsvTable table) {
    JsonArray schema = new JsonArray();
    for (int c = 0; c < table.columns().size(); c++) {
      ColumnSchema column = table.schema().get(c);
      JsonObject json = new JsonObject()
          .put("name", column.name())
          .put("type", column.type().name().toLowerCase(java.util.Locale.ROOT))
          .put("missing", column.missing());
      if (!column.categories().isEmpty()) {
        JsonObject counts = new JsonObject();
        table.counts(c).entrySet().stream().limit(50).forEach(e -> counts.put(e.getKey(), e.getValue()));
        json.put("distinct", column.categories().size()).put("counts", counts);
      }
      schema.add(json);
    }
    return schema;
  }

  /** The first rows as JSON: numeric columns as numbers, categorical ones as strings, missing values as null. */
  private static JsonArray preview(CsvTable table) {
    java.util.Set<String> numeric = new java.util.HashSet<>();
    table.schema().stream().filter(c -> c.type() == ColumnType.NUMERIC).forEach(c -> numeric.add(c.name()));
    JsonArray rows = new JsonArray();
    for (Map<String, String> row : table.head(5)) {
      JsonObject json = new JsonObject();
      row.forEach((column, value) -> json.put(column, value != null && numeric.contains(column) ? number(value) : value));
      rows.add(json);
    }
    return rows;
  }

  /** A numeric column's text as a JSON number: integers stay exact, the rest are doubles. */
  private static Object number(String text) {
    String trimmed = text.trim();
    try {
      return Long.parseLong(trimmed);
    } catch (NumberFormatException notAnInteger) {
      // Inference made every value of a numeric column parse as a finite double.
      return Double.parseDouble(trimmed);
    }
  }

  private static ApiException tooLarge(long max) {
    return new ApiException(413, "payload-too-large", "Payload too large", "the upload exceeds the plan's limit of " + max + " bytes");
  }

  private static ApiException invalid(long line, String column, String message) {
    JsonObject error = new JsonObject().put("field", "body").put("message", message);
    if (line > 0) {
      error.put("line", line);
    }
    if (column != null) {
      error.put("column", column);
    }
    return ApiException.badRequest("invalid-dataset", message).withFieldErrors(new JsonArray().add(error));
  }
}
