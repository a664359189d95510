package dev.aiaas.gateway.keys;

import dev.aiaas.gateway.auth.Hashing;

/** The shape of API key secrets: {@code aiaas_} and 256 random bits, base64url. */
public final class ApiKeySecrets {

  /** Every key starts with this, so leaked keys are easy to scan for and tell from JWTs. */
  public static final String PREFIX = "aiaas_";

  private static final int SHOWN_PREFIX_LENGTH = PREFIX.length() + 6;

  private ApiKeySecrets() {}

  public static String generate() {
    return PREFIX + Hashing.randomToken(32);
  }

  /** The part of a key shown in listings. */
  public static String displayPrefix(String secret) {
    return secret.substring(0, Math.min(secret.length(), SHOWN_PREFIX_LENGTH));
  }

  public static boolean looksLikeKey(String credential) {
    return credential.startsWith(PREFIX);
  }
}
