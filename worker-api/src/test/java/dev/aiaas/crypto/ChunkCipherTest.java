package dev.aiaas.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/** The chunk cipher: what a sealed chunk is bound to, and that nothing else opens it. */
class ChunkCipherTest {

  private static final UUID TENANT = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID DATASET = UUID.fromString("00000000-0000-0000-0000-0000000000d1");
  private final SecretKey key = MasterKey.newDataKey();
  private final byte[] plain = "age,plan\n42,zebra-unicorn\n".getBytes(StandardCharsets.UTF_8);

  private ChunkAad aad(int seq, boolean last) {
    return new ChunkAad(ChunkAad.DATASET, TENANT, DATASET, seq, last);
  }

  /** Verifies that a sealed chunk opens to its plaintext and does not contain it. */
  @Test
  void sealsAndOpens() {
    ChunkCipher.Sealed sealed = ChunkCipher.seal(key, aad(3, false), plain);

    assertEquals(ChunkCipher.NONCE_BYTES, sealed.nonce().length);
    assertFalse(new String(sealed.data(), StandardCharsets.ISO_8859_1).contains("zebra-unicorn"));
    assertArrayEquals(plain, ChunkCipher.open(key, aad(3, false), sealed.nonce(), sealed.data()));
  }

  /** Verifies that every chunk gets a fresh nonce, so equal chunks do not look equal. */
  @Test
  void usesAFreshNonceEachTime() {
    ChunkCipher.Sealed a = ChunkCipher.seal(key, aad(0, true), plain);
    ChunkCipher.Sealed b = ChunkCipher.seal(key, aad(0, true), plain);

    assertFalse(Arrays.equals(a.nonce(), b.nonce()));
    assertFalse(Arrays.equals(a.data(), b.data()));
  }

  /**
   * Verifies that a flipped byte, another position, another object, another tenant, another kind, a
   * wrong last-chunk flag or another key all fail with an error naming the object and the chunk.
   */
  @Test
  void refusesAnythingButTheExactChunk() {
    ChunkCipher.Sealed sealed = ChunkCipher.seal(key, aad(3, false), plain);
    byte[] flipped = sealed.data().clone();
    flipped[5] ^= 1;

    TamperedChunkException changed = assertThrows(TamperedChunkException.class,
        () -> ChunkCipher.open(key, aad(3, false), sealed.nonce(), flipped));
    assertEquals("dataset " + DATASET + " chunk 3 failed authentication: the stored data was changed or belongs elsewhere",
        changed.getMessage());
    assertThrows(TamperedChunkException.class, () -> ChunkCipher.open(key, aad(2, false), sealed.nonce(), sealed.data()));
    assertThrows(TamperedChunkException.class, () -> ChunkCipher.open(key, aad(3, true), sealed.nonce(), sealed.data()));
    assertThrows(TamperedChunkException.class, () -> ChunkCipher.open(key,
        new ChunkAad(ChunkAad.DATASET, TENANT, UUID.randomUUID(), 3, false), sealed.nonce(), sealed.data()));
    assertThrows(TamperedChunkException.class, () -> ChunkCipher.open(key,
        new ChunkAad(ChunkAad.DATASET, UUID.randomUUID(), DATASET, 3, false), sealed.nonce(), sealed.data()));
    assertThrows(TamperedChunkException.class, () -> ChunkCipher.open(key,
        new ChunkAad(ChunkAad.BATCH_RESULT, TENANT, DATASET, 3, false), sealed.nonce(), sealed.data()));
    assertThrows(TamperedChunkException.class,
        () -> ChunkCipher.open(MasterKey.newDataKey(), aad(3, false), sealed.nonce(), sealed.data()));
    assertThrows(TamperedChunkException.class,
        () -> ChunkCipher.open(key, aad(3, false), sealed.nonce(), Arrays.copyOf(sealed.data(), 10)));
  }
}
