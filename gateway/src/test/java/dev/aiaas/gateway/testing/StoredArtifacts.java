package dev.aiaas.gateway.testing;

import dev.aiaas.crypto.DataKeys;
import dev.aiaas.gateway.models.ModelStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.UUID;

/** A model version's parameters read from PostgreSQL and opened, as a worker loads them (they are sealed at rest). */
public final class StoredArtifacts {

  private StoredArtifacts() {}

  /** The parameters of model version {@code modelId}; call from a test thread, not an event loop. */
  public static byte[] parameters(Pool pool, DataKeys keys, UUID modelId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int seq = 0; ; seq++) {
      Optional<Buffer> chunk = ModelStore.artifactChunk(pool, keys, modelId, seq).await();
      if (chunk.isEmpty()) {
        return out.toByteArray();
      }
      out.writeBytes(chunk.get().getBytes());
    }
  }
}
