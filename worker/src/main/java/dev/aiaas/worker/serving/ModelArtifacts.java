package dev.aiaas.worker.serving;

import dev.aiaas.crypto.ChunkAad;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Model parameters by version: from the local cache directory when present, else from the chunks
 * in PostgreSQL (the truth, readable from any machine), which then fill the cache. Versions never
 * change, so a cached file is valid as long as its size matches.
 */
public final class ModelArtifacts {

  private final Vertx vertx;
  private final Pool pool;
  private final DataKeys keys;
  private final Path cacheDir;

  public ModelArtifacts(Vertx vertx, Pool pool, DataKeys keys, Path cacheDir) {
    this.vertx = vertx;
    this.pool = pool;
    this.keys = keys;
    this.cacheDir = cacheDir;
  }

  public Future<byte[]> parameters(StoredModel model) {
    Path cached = cacheDir.resolve(model.id() + ".params");
    return vertx.executeBlocking(() -> Files.isRegularFile(cached) && Files.size(cached) == model.artifactBytes()
            ? Files.readAllBytes(cached) : null, false)
        .compose(bytes -> bytes != null ? Future.succeededFuture(bytes) : fetch(model)
            .compose(fetched -> vertx.executeBlocking(() -> {
              store(cached, fetched);
              return fetched;
            }, false)));
  }

  /**
   * Removes the cached files of versions that no longer exist (deleted by their tenant), so a
   * deleted model leaves nothing behind on the workers' disks either.
   */
  public Future<Void> prune() {
    return vertx.executeBlocking(this::cachedIds, false).compose(cached -> cached.isEmpty() ? Future.succeededFuture()
        : pool.preparedQuery("SELECT id FROM models WHERE id = ANY($1)").execute(Tuple.tuple().addValue(cached.toArray(UUID[]::new)))
            .compose(rows -> {
              Set<UUID> gone = new HashSet<>(cached);
              rows.forEach(r -> gone.remove(r.getUUID(0)));
              return gone.isEmpty() ? Future.succeededFuture() : vertx.executeBlocking(() -> {
                for (UUID id : gone) {
                  Files.deleteIfExists(cacheDir.resolve(id + ".params"));
                }
                return null;
              }, false);
            }));
  }

  private List<UUID> cachedIds() throws IOException {
    if (!Files.isDirectory(cacheDir)) {
      return List.of();
    }
    List<UUID> ids = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(cacheDir, "*.params")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        try {
          ids.add(UUID.fromString(name.substring(0, name.length() - ".params".length())));
        } catch (IllegalArgumentException notOurs) {
          // not a cached version: leave it alone
        }
      }
    }
    return ids;
  }

  /**
   * Reads and opens every chunk, once per load: serving then runs on the parameters in memory, so
   * no prediction pays for decryption. A chunk is opened at the position it is expected at, so a
   * missing, extra or swapped chunk fails with {@link dev.aiaas.crypto.TamperedChunkException}.
   */
  private Future<byte[]> fetch(StoredModel model) {
    return pool.preparedQuery("""
            SELECT c.nonce, c.data, m.artifact_sealed_as FROM model_artifact_chunks c JOIN models m ON m.id = c.model_id
            WHERE c.model_id = $1 ORDER BY c.seq""")
        .execute(Tuple.of(model.id()))
        .compose(rows -> vertx.executeBlocking(() -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          int seq = 0;
          for (Row r : rows) {
            Buffer nonce = r.getBuffer("nonce");
            UUID sealedAs = r.getUUID("artifact_sealed_as");
            ChunkAad aad = new ChunkAad(ChunkAad.MODEL_ARTIFACT, model.tenantId(), sealedAs == null ? model.id() : sealedAs, seq,
                seq == rows.size() - 1);
            out.writeBytes(keys.openBlocking(aad, nonce == null ? null : nonce.getBytes(), r.getBuffer("data").getBytes()));
            seq++;
          }
          return out.toByteArray();
        }, false));
  }

  /** Writes through a temporary file, so a crash never leaves a truncated file under the real name. */
  private void store(Path target, byte[] bytes) {
    try {
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, "download-", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Only a cache: serving goes on from memory, the next load reads PostgreSQL again.
      org.slf4j.LoggerFactory.getLogger(ModelArtifacts.class).warn("cannot cache model parameters in {}: {}", cacheDir, e.getMessage());
    }
  }
}
