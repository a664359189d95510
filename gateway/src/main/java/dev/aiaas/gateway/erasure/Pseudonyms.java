package dev.aiaas.gateway.erasure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/** The stable stand-ins for an erased tenant's personal data in the records that are kept. */
public final class Pseudonyms {

  private Pseudonyms() {}

  /**
   * {@code erased-user-<12 hex>}: derived from the user's id (not the email), so the same person
   * gets the same pseudonym in every kept record and the email cannot be recovered by hashing guesses.
   */
  public static String user(UUID userId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.toString().getBytes(StandardCharsets.US_ASCII));
      return "erased-user-" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
