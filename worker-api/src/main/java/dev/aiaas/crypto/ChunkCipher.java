package dev.aiaas.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for stored chunks: a fresh random 12-byte nonce per chunk (stored beside it) and the
 * chunk's {@link ChunkAad} as associated data. Stateless and thread-safe.
 */
public final class ChunkCipher {

  /** Nonce length: the GCM standard's 96 bits. */
  public static final int NONCE_BYTES = 12;

  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ChunkCipher() {}

  /** A sealed chunk: its nonce and the ciphertext with the tag appended. */
  public record Sealed(byte[] nonce, byte[] data) {}

  public static Sealed seal(SecretKey key, ChunkAad aad, byte[] plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad.bytes());
      return new Sealed(nonce, cipher.doFinal(plain));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /** The plaintext, or {@link TamperedChunkException} if the chunk is not exactly what was sealed under {@code aad}. */
  public static byte[] open(SecretKey key, ChunkAad aad, byte[] nonce, byte[] data) {
    if (nonce.length != NONCE_BYTES || data.length < TAG_BITS / 8) {
      throw TamperedChunkException.failedAuthentication(aad);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad.bytes());
      return cipher.doFinal(data);
    } catch (AEADBadTagException e) {
      throw TamperedChunkException.failedAuthentication(aad);
    } catch (GeneralSecurityException | java.security.ProviderException e) {
      // malformed input the provider refuses outright: as corrupt as a bad tag
      throw TamperedChunkException.failedAuthentication(aad);
    }
  }
}
