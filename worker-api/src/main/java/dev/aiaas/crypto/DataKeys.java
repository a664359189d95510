package dev.aiaas.crypto;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.SecretKey;

/**
 * The tenants' data keys ({@code tenant_data_keys}): created on a tenant's first sealed write,
 * stored wrapped by the {@link MasterKey}, and kept unwrapped in a small per-process cache so a
 * stream of chunks costs one unwrap. Seals and opens chunks off the event loop. Keys never reach a log.
 */
public final class DataKeys {

  /** Unwrapped keys kept per process; beyond it the least recently used is unwrapped again when needed. */
  static final int CACHE_SIZE = 1024;

  private static final long BLOCKING_TIMEOUT_SECONDS = 60;

  private final Vertx vertx;
  private final Pool pool;
  private final MasterKey master;
  private final Map<UUID, SecretKey> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, SecretKey> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  public DataKeys(Vertx vertx, Pool pool, MasterKey master) {
    this.vertx = vertx;
    this.pool = pool;
    this.master = master;
  }

  /**
   * Checks at start that {@code master} is the key this database's data keys are wrapped by (the
   * first process of a new installation records it). Fails with {@link KeyFileException} for
   * another key file, or while a rotation is unfinished.
   */
  public static Future<Void> checkMasterKey(Pool pool, MasterKey master) {
    return pool.preparedQuery("INSERT INTO master_key_state (key_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(master.id()))
        .compose(inserted -> pool.query("SELECT key_id, rotating_to FROM master_key_state").execute())
        .compose(rows -> {
          Row state = rows.iterator().next();
          String expected = state.getString("key_id");
          String rotatingTo = state.getString("rotating_to");
          if (rotatingTo != null) {
            return Future.failedFuture(new KeyFileException(MasterKey.SETTING + ": a master-key rotation from " + expected
                + " to " + rotatingTo + " is unfinished; run 'aiaas keys rotate-master' again with the same files to finish it"));
          }
          if (!expected.equals(master.id())) {
            return Future.failedFuture(new KeyFileException(MasterKey.SETTING + ": " + master.file() + " holds master key "
                + master.id() + ", but this database's data keys are wrapped by master key " + expected
                + "; give every node the same key file (after 'aiaas keys rotate-master', the new one)"));
          }
          return Future.succeededFuture();
        });
  }

  /** The tenant's data key, created (race-safe) if it has none yet. */
  public Future<SecretKey> forWriting(UUID tenantId) {
    SecretKey cached = cached(tenantId);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    byte[] wrapped = master.wrap(tenantId, MasterKey.newDataKey());
    return pool.preparedQuery("""
            INSERT INTO tenant_data_keys (tenant_id, master_key_id, wrapped) VALUES ($1, $2, $3)
            ON CONFLICT (tenant_id) DO NOTHING""")
        .execute(Tuple.of(tenantId, master.id(), Buffer.buffer(wrapped)))
        .compose(inserted -> stored(pool, tenantId))
        .map(key -> key.orElseThrow(() -> new IllegalStateException("the data key of tenant " + tenantId + " vanished")));
  }

  /** The tenant's data key, or empty if it never had one (or it was shredded). */
  public Future<Optional<SecretKey>> forReading(UUID tenantId) {
    SecretKey cached = cached(tenantId);
    return cached != null ? Future.succeededFuture(Optional.of(cached)) : stored(pool, tenantId);
  }

  private Future<Optional<SecretKey>> stored(SqlClient client, UUID tenantId) {
    return client.preparedQuery("SELECT master_key_id, wrapped FROM tenant_data_keys WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId))
        .map(rows -> unwrapRow(rows, tenantId));
  }

  private Optional<SecretKey> unwrapRow(RowSet<Row> rows, UUID tenantId) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    String wrappedBy = row.getString("master_key_id");
    if (!wrappedBy.equals(master.id())) {
      throw new KeyFileException(MasterKey.SETTING + ": the data key of tenant " + tenantId + " is wrapped by master key "
          + wrappedBy + ", not by " + master.id() + " from " + master.file());
    }
    SecretKey key = master.unwrap(tenantId, row.getBuffer("wrapped").getBytes());
    synchronized (cache) {
      cache.put(tenantId, key);
    }
    return Optional.of(key);
  }

  private SecretKey cached(UUID tenantId) {
    synchronized (cache) {
      return cache.get(tenantId);
    }
  }

  /** Drops a tenant's key from this process's cache (after it was shredded). */
  public void forget(UUID tenantId) {
    synchronized (cache) {
      cache.remove(tenantId);
    }
  }

  /**
   * Deletes the tenant's data key in {@code client}'s transaction (crypto-shredding): whatever was
   * sealed under it, backups included, can never be opened again. Completes with the rows deleted.
   */
  public Future<Integer> shred(SqlClient client, UUID tenantId) {
    return client.preparedQuery("DELETE FROM tenant_data_keys WHERE tenant_id = $1").execute(Tuple.of(tenantId))
        .onSuccess(deleted -> forget(tenantId))
        .map(deleted -> deleted.rowCount());
  }

  /** Seals a chunk under the tenant's data key, on a worker thread. */
  public Future<ChunkCipher.Sealed> seal(ChunkAad aad, byte[] plain) {
    return forWriting(aad.tenantId()).compose(key -> vertx.executeBlocking(() -> ChunkCipher.seal(key, aad, plain), false));
  }

  /**
   * Opens a stored chunk on a worker thread; a chunk without nonce (written before encryption at
   * rest) is returned as stored. Fails with {@link TamperedChunkException}.
   */
  public Future<Buffer> open(ChunkAad aad, Buffer nonce, Buffer data) {
    if (nonce == null) {
      return Future.succeededFuture(data);
    }
    return forReading(aad.tenantId()).compose(key -> vertx.executeBlocking(
        () -> Buffer.buffer(ChunkCipher.open(keyOrFail(key, aad), aad, nonce.getBytes(), data.getBytes())), false));
  }

  /**
   * Opens the chunk a query found, or empty when it found none. The query selects {@code nonce},
   * {@code data} and {@code more} (whether a next chunk exists: the chunk must have been sealed as
   * the last one exactly when there is none).
   */
  public Future<Optional<Buffer>> openRow(RowSet<Row> rows, String kind, UUID tenantId, UUID objectId, int seq) {
    if (rows.size() == 0) {
      return Future.succeededFuture(Optional.empty());
    }
    Row row = rows.iterator().next();
    ChunkAad aad = new ChunkAad(kind, tenantId, objectId, seq, !row.getBoolean("more"));
    return open(aad, row.getBuffer("nonce"), row.getBuffer("data")).map(Optional::of);
  }

  /** As {@link #open}, on the calling thread, which must be a worker thread (it waits for the key). */
  public byte[] openBlocking(ChunkAad aad, byte[] nonce, byte[] data) {
    if (nonce == null) {
      return data;
    }
    SecretKey cached = cached(aad.tenantId());
    Optional<SecretKey> key = cached != null ? Optional.of(cached) : await(forReading(aad.tenantId()));
    return ChunkCipher.open(keyOrFail(key, aad), aad, nonce, data);
  }

  /** As {@link #seal}, on the calling thread, which must be a worker thread (it waits for the key). */
  public ChunkCipher.Sealed sealBlocking(ChunkAad aad, byte[] plain) {
    SecretKey cached = cached(aad.tenantId());
    SecretKey key = cached != null ? cached : await(forWriting(aad.tenantId()));
    return ChunkCipher.seal(key, aad, plain);
  }

  private static SecretKey keyOrFail(Optional<SecretKey> key, ChunkAad aad) {
    return key.orElseThrow(() -> new TamperedChunkException(aad, "cannot be opened: the tenant's data key is gone (erased)"));
  }

  private static <T> T await(Future<T> future) {
    try {
      // Future.await refuses Vert.x worker threads; waiting on the stage is fine off the event loop.
      return future.toCompletionStage().toCompletableFuture().get(BLOCKING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading a data key", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("reading a data key failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("reading a data key timed out", e);
    }
  }

  public MasterKey master() {
    return master;
  }

  @Override
  public String toString() {
    return "DataKeys[master=" + master.id() + "]";
  }
}
