package dev.aiaas.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What a sealed chunk is bound to (its AES-GCM associated data): the kind of object, the tenant,
 * the object, the chunk's position and whether it is the last one. A chunk moved to another
 * object or tenant, swapped with another, or a stream cut short or extended fails to open.
 *
 * @param kind the kind of object, e.g. {@code dataset}; named in errors
 */
public record ChunkAad(String kind, UUID tenantId, UUID objectId, int seq, boolean last) {

  public static final String DATASET = "dataset";
  public static final String MODEL_ARTIFACT = "model artifact";
  public static final String BATCH_RESULT = "batch result";
  public static final String TENANT_EXPORT = "tenant export";
  public static final String WEBHOOK_SECRET = "webhook secret";
  /** A dataset's first rows (or image entry names), sealed as one chunk under the dataset's id. */
  public static final String DATASET_PREVIEW = "dataset preview";
  /** A response kept for idempotent replays, sealed as one chunk under an id derived from its key. */
  public static final String IDEMPOTENT_RESPONSE = "idempotent response";

  private static final byte[] VERSION = "aiaas-chunk-v1".getBytes(StandardCharsets.US_ASCII);

  /** The associated data bytes: length-prefixed, so no two different tuples encode the same. */
  byte[] bytes() {
    byte[] kindBytes = kind.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(VERSION.length + 4 + kindBytes.length + 16 + 16 + 4 + 1)
        .put(VERSION)
        .putInt(kindBytes.length).put(kindBytes)
        .putLong(tenantId.getMostSignificantBits()).putLong(tenantId.getLeastSignificantBits())
        .putLong(objectId.getMostSignificantBits()).putLong(objectId.getLeastSignificantBits())
        .putInt(seq)
        .put((byte) (last ? 1 : 0))
        .array();
  }
}
