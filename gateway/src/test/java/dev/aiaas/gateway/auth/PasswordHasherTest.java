package dev.aiaas.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  private final PasswordHasher hasher = new PasswordHasher();

  /** Verifies that a hash verifies its password only, is salted, and names its scheme and cost. */
  @Test
  void hashesAndVerifies() {
    String hash = hasher.hash("s3cret password");

    assertTrue(hash.startsWith("pbkdf2-sha512$" + PasswordHasher.ITERATIONS + "$"), hash);
    assertFalse(hash.contains("s3cret"));
    assertTrue(hasher.verify("s3cret password", hash));
    assertFalse(hasher.verify("s3cret passwore", hash));
    assertNotEquals(hash, hasher.hash("s3cret password"), "a fresh salt each time");
  }

  /** Verifies that a stored value of another scheme or shape never verifies. */
  @Test
  void foreignHashesNeverMatch() {
    assertFalse(hasher.verify("x", "plain-text"));
    assertFalse(hasher.verify("x", "bcrypt$1$2$3"));
  }
}
