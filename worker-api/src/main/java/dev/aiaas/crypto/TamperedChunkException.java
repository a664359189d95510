package dev.aiaas.crypto;

/**
 * A sealed chunk failed authentication (changed, moved, swapped, truncated, or its key is gone):
 * the stored data is corrupt, so nothing of it is returned. Not the client's fault.
 */
public final class TamperedChunkException extends RuntimeException {

  public TamperedChunkException(ChunkAad aad, String reason) {
    super(aad.kind() + " " + aad.objectId() + " chunk " + aad.seq() + " " + reason);
  }

  /** The usual reason: the authentication tag did not match. */
  public static TamperedChunkException failedAuthentication(ChunkAad aad) {
    return new TamperedChunkException(aad, "failed authentication: the stored data was changed or belongs elsewhere");
  }
}
