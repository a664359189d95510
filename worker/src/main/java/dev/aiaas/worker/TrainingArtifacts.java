package dev.aiaas.worker;

import dev.aiaas.crypto.ChunkAad;
import dev.aiaas.crypto.DataKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Stores the parameters a training run made in PostgreSQL ({@code training_artifacts}), so its
 * outcome message carries only their id, size and checksum; the gateway that records the outcome
 * adopts them for the new model version.
 */
final class TrainingArtifacts {

  /** One stored artifact, as the outcome names it. */
  record Stored(UUID id, long bytes, String sha256) {}

  static final int CHUNK_BYTES = 1 << 20;

  private final Pool pool;
  private final DataKeys keys;

  TrainingArtifacts(Pool pool, DataKeys keys) {
    this.pool = pool;
    this.keys = keys;
  }

  /**
   * The artifact id of one attempt of a job: a resent outcome names the same artifact, and an
   * attempt that stores again replaces it instead of leaving a second copy.
   */
  static UUID idOf(UUID jobId, int attempt) {
    return UUID.nameUUIDFromBytes(("training-artifact/" + jobId + "/" + attempt).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Stores {@code parameters} as the artifact of the attempt, replacing what the attempt stored
   * before. Each chunk is sealed under the tenant's data key and the artifact's id, which the model
   * version keeps ({@code artifact_sealed_as}) when the chunks move to it.
   */
  Future<Stored> store(UUID tenantId, UUID jobId, int attempt, byte[] parameters) {
    UUID id = idOf(jobId, attempt);
    Stored stored = new Stored(id, parameters.length, sha256(parameters));
    List<Future<Tuple>> sealing = new ArrayList<>();
    for (int offset = 0, seq = 0; offset < parameters.length; offset += CHUNK_BYTES, seq++) {
      int end = Math.min(parameters.length, offset + CHUNK_BYTES);
      int n = seq;
      ChunkAad aad = new ChunkAad(ChunkAad.MODEL_ARTIFACT, tenantId, id, n, end == parameters.length);
      sealing.add(keys.seal(aad, Arrays.copyOfRange(parameters, offset, end))
          .map(sealed -> Tuple.of(id, n, Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.data()))));
    }
    return Future.all(sealing).map(all -> sealing.stream().map(Future::result).toList())
        .compose(chunks -> pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM training_artifacts WHERE id = $1").execute(Tuple.of(id))
        .compose(deleted -> tx.preparedQuery("""
                INSERT INTO training_artifacts (id, tenant_id, job_id, attempt, bytes, sha256)
                VALUES ($1, $2, $3, $4, $5, $6)""")
            .execute(Tuple.of(id, tenantId, jobId, attempt, stored.bytes(), stored.sha256())))
        .compose(inserted -> chunks.isEmpty() ? Future.succeededFuture()
            : tx.preparedQuery("INSERT INTO training_artifact_chunks (artifact_id, seq, nonce, data) VALUES ($1, $2, $3, $4)")
                .executeBatch(chunks))))
        .map(stored);
  }

  /** Lowercase hex SHA-256, the checksum the gateway verifies before it adopts an artifact. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
