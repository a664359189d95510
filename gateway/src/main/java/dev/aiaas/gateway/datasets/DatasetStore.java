package dev.aiaas.gateway.datasets;

import dev.aiaas.crypto.ChunkAad;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for datasets and their chunks. Every query is scoped by tenant. */
public final class DatasetStore {

  private static final String COLUMNS = "id, tenant_id, name, format, status, bytes, rows, schema, preview, created_at";

  private final Pool pool;
  private final DataKeys keys;

  public DatasetStore(Pool pool, DataKeys keys) {
    this.pool = pool;
    this.keys = keys;
  }

  Future<UUID> create(UUID tenantId, String name, String format) {
    UUID id = UUID.randomUUID();
    return pool.preparedQuery("INSERT INTO datasets (id, tenant_id, name, format, status) VALUES ($1, $2, $3, $4, 'uploading')")
        .execute(Tuple.of(id, tenantId, name, format)).map(id);
  }

  /** Seals chunk {@code seq} under the tenant's data key and stores it; {@code last} is bound into it. */
  Future<Void> appendChunk(UUID tenantId, UUID id, int seq, Buffer data, boolean last) {
    return keys.seal(new ChunkAad(ChunkAad.DATASET, tenantId, id, seq, last), data.getBytes())
        .compose(sealed -> pool.preparedQuery("INSERT INTO dataset_chunks (dataset_id, seq, nonce, data) VALUES ($1, $2, $3, $4)")
            .execute(Tuple.of(id, seq, Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.data()))))
        .mapEmpty();
  }

  /** Chunk {@code seq} of the tenant's dataset, opened; empty past the last one (or for another tenant's dataset). */
  Future<Optional<Buffer>> chunk(UUID tenantId, UUID id, int seq) {
    return pool.preparedQuery("""
            SELECT c.nonce, c.data,
                   EXISTS (SELECT 1 FROM dataset_chunks n WHERE n.dataset_id = c.dataset_id AND n.seq = c.seq + 1) AS more
            FROM dataset_chunks c JOIN datasets d ON d.id = c.dataset_id
            WHERE d.tenant_id = $1 AND d.id = $2 AND c.seq = $3""")
        .execute(Tuple.of(tenantId, id, seq))
        .compose(rows -> keys.openRow(rows, ChunkAad.DATASET, tenantId, id, seq));
  }

  /**
   * Records a validated upload. The preview (its first rows) is tenant data: it is sealed under the
   * tenant's data key like a one-chunk object, and the clear {@code preview} column stays NULL.
   */
  Future<Dataset> markReady(UUID tenantId, UUID id, long bytes, int rows, JsonArray schema, JsonArray preview) {
    return keys.seal(previewAad(tenantId, id), preview.toBuffer().getBytes())
        .compose(sealed -> pool.preparedQuery("UPDATE datasets SET status = 'ready', bytes = $3, rows = $4, schema = $5,"
                + " preview = NULL, preview_nonce = $6, preview_sealed = $7 WHERE tenant_id = $1 AND id = $2 RETURNING " + COLUMNS)
            .execute(Tuple.of(tenantId, id, bytes, rows, schema, Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.data()))))
        .map(r -> dataset(r.iterator().next(), preview));
  }

  /**
   * The tenant's ready dataset with its preview opened (the detail view); a preview stored before
   * it was sealed (schema version 22) is returned as stored.
   */
  public Future<Optional<Dataset>> detail(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + ", preview_nonce, preview_sealed FROM datasets"
            + " WHERE tenant_id = $1 AND id = $2 AND status = 'ready'")
        .execute(Tuple.of(tenantId, id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.empty());
          }
          Row r = rows.iterator().next();
          Buffer sealed = r.getBuffer("preview_sealed");
          if (sealed == null) {
            return Future.succeededFuture(Optional.of(dataset(r)));
          }
          return keys.open(previewAad(tenantId, id), r.getBuffer("preview_nonce"), sealed)
              .map(plain -> Optional.of(dataset(r, new JsonArray(plain))));
        });
  }

  private static ChunkAad previewAad(UUID tenantId, UUID id) {
    return new ChunkAad(ChunkAad.DATASET_PREVIEW, tenantId, id, 0, true);
  }

  /**
   * Deletes a dataset and its chunks; false if the tenant has no such dataset. Fails with 409
   * {@code dataset-in-use} while a training job or batch prediction refers to it.
   */
  public Future<Boolean> delete(UUID tenantId, UUID id) {
    return pool.preparedQuery("DELETE FROM datasets WHERE tenant_id = $1 AND id = $2").execute(Tuple.of(tenantId, id))
        .map(r -> r.rowCount() == 1)
        .recover(failure -> Future.failedFuture(failure instanceof io.vertx.pgclient.PgException pg && "23503".equals(pg.getSqlState())
            ? dev.aiaas.gateway.http.ApiException.conflict("dataset-in-use",
                "the dataset is referenced by training jobs or batch predictions; it is kept so their results stay explainable")
            : failure));
  }

  public Future<Optional<Dataset>> byId(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM datasets WHERE tenant_id = $1 AND id = $2 AND status = 'ready'")
        .execute(Tuple.of(tenantId, id)).map(DatasetStore::first);
  }

  public Future<List<Dataset>> list(UUID tenantId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM datasets WHERE tenant_id = $1 AND status = 'ready' ORDER BY created_at")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<Dataset> all = new ArrayList<>();
          rows.forEach(r -> all.add(dataset(r)));
          return all;
        });
  }

  private static Optional<Dataset> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(dataset(rows.iterator().next()));
  }

  private static Dataset dataset(Row r) {
    return dataset(r, (JsonArray) r.getValue("preview"));
  }

  private static Dataset dataset(Row r, JsonArray preview) {
    return new Dataset(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("name"), r.getString("format"), r.getString("status"),
        r.getLong("bytes"), r.getInteger("rows"), (JsonArray) r.getValue("schema"), preview, r.getOffsetDateTime("created_at"));
  }
}
