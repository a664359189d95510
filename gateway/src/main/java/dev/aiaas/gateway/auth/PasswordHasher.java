package dev.aiaas.gateway.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA512 password hashes, {@code pbkdf2-sha512$<iterations>$<salt>$<hash>}. Slow on
 * purpose (a few hundred ms): call only from a worker thread. The iteration count is stored with
 * each hash, so it can be raised without invalidating old ones.
 */
public final class PasswordHasher {

  /** OWASP's recommendation for PBKDF2-HMAC-SHA512. */
  public static final int ITERATIONS = 210_000;

  private static final String SCHEME = "pbkdf2-sha512";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Hashes a new password with a fresh salt. */
  public String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, ITERATIONS);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  /** Whether {@code password} matches {@code stored}, compared in constant time. */
  public boolean verify(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      return false;
    }
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
  }

  /**
   * Burns the same time as a real verification; used when the account does not exist, so the
   * response time does not reveal which emails are registered.
   */
  public void verifyNothing(String password) {
    derive(password, new byte[16], ITERATIONS);
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is part of every JDK", e);
    } finally {
      spec.clearPassword();
    }
  }
}
