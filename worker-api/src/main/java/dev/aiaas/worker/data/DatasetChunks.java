package dev.aiaas.worker.data;

import dev.aiaas.crypto.ChunkAad;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A stored dataset read back as a stream, one chunk at a time, so neither the gateway validating an
 * upload nor a worker training on it holds the raw file whole. Sealed chunks are opened as they
 * arrive; one that fails authentication throws {@link dev.aiaas.crypto.TamperedChunkException}
 * (unchecked, so no parser mistakes it for bad client data). BLOCKING: use only on worker threads.
 */
public final class DatasetChunks extends InputStream {

  private static final long TIMEOUT_SECONDS = 60;

  private final Pool pool;
  private final DataKeys keys;
  private final UUID tenantId;
  private final UUID datasetId;
  private int nextSeq;
  private Buffer current = Buffer.buffer();
  private int position;
  private boolean exhausted;

  private DatasetChunks(Pool pool, DataKeys keys, UUID tenantId, UUID datasetId) {
    this.pool = pool;
    this.keys = keys;
    this.tenantId = tenantId;
    this.datasetId = datasetId;
  }

  /** The content of the tenant's dataset; another tenant's id reads as empty. */
  public static InputStream open(Pool pool, DataKeys keys, UUID tenantId, UUID datasetId) {
    return new DatasetChunks(pool, keys, tenantId, datasetId);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (position >= current.length()) {
      if (exhausted || !fetch()) {
        return -1;
      }
    }
    int n = Math.min(length, current.length() - position);
    current.getBytes(position, position + n, target, offset);
    position += n;
    return n;
  }

  private boolean fetch() throws IOException {
    try {
      // Whether a next chunk exists decides the "last" the chunk must have been sealed with.
      RowSet<Row> rows = pool.preparedQuery("""
              SELECT c.nonce, c.data,
                     EXISTS (SELECT 1 FROM dataset_chunks n WHERE n.dataset_id = c.dataset_id AND n.seq = c.seq + 1) AS more
              FROM dataset_chunks c JOIN datasets d ON d.id = c.dataset_id
              WHERE d.tenant_id = $1 AND d.id = $2 AND c.seq = $3""")
          .execute(Tuple.of(tenantId, datasetId, nextSeq))
          // Future.await refuses Vert.x worker threads; waiting on the stage is fine off the event loop.
          .toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (rows.size() == 0) {
        exhausted = true;
        return false;
      }
      Row row = rows.iterator().next();
      Buffer nonce = row.getBuffer("nonce");
      byte[] data = row.getBuffer("data").getBytes();
      ChunkAad aad = new ChunkAad(ChunkAad.DATASET, tenantId, datasetId, nextSeq, !row.getBoolean("more"));
      current = Buffer.buffer(keys.openBlocking(aad, nonce == null ? null : nonce.getBytes(), data));
      nextSeq++;
      position = 0;
      return true;
    } catch (TimeoutException e) {
      throw new IOException("reading dataset " + datasetId + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading dataset " + datasetId, e);
    } catch (ExecutionException e) {
      throw new IOException("reading dataset " + datasetId + " failed: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
