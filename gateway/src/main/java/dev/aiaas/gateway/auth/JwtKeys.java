package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.StartupException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ES256 (ECDSA P-256) key pair that signs console JWTs. Kept in one PEM file (private key
 * then public key) created at first start with owner-only permissions, so tokens survive
 * restarts and every gateway node given the same file accepts them.
 */
public final class JwtKeys {

  /** The one algorithm tokens may use; anything else is refused before any signature check. */
  public static final String ALGORITHM = "ES256";

  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private final String privatePem;
  private final String publicPem;
  private final ECPublicKey publicKey;
  private final String kid;

  private JwtKeys(String privatePem, String publicPem, ECPublicKey publicKey) {
    this.privatePem = privatePem;
    this.publicPem = publicPem;
    this.publicKey = publicKey;
    this.kid = thumbprint(publicKey);
  }

  /** Loads the key file, creating it (and a new key pair) if it does not exist. Blocking. */
  public static JwtKeys loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      return parse(Files.readString(file, StandardCharsets.US_ASCII), file);
    } catch (IOException e) {
      throw new StartupException("AIAAS_JWT_KEY_FILE: cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }

  private static void create(Path file) throws IOException {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is part of every JDK", e);
    }
    String pem = pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException raced) {
      return; // another process of this installation created it first; use theirs
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static JwtKeys parse(String text, Path file) {
    String privatePem = null;
    String publicPem = null;
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      if (m.group(1).equals("PRIVATE KEY")) {
        privatePem = m.group();
      } else if (m.group(1).equals("PUBLIC KEY")) {
        publicPem = m.group();
      }
    }
    if (privatePem == null || publicPem == null) {
      throw new StartupException("AIAAS_JWT_KEY_FILE: " + file + " must hold an EC P-256 'PRIVATE KEY' and 'PUBLIC KEY' in PEM");
    }
    try {
      KeyFactory ec = KeyFactory.getInstance("EC");
      ec.generatePrivate(new PKCS8EncodedKeySpec(der(privatePem)));
      ECPublicKey publicKey = (ECPublicKey) ec.generatePublic(new X509EncodedKeySpec(der(publicPem)));
      if (publicKey.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new StartupException("AIAAS_JWT_KEY_FILE: " + file + " holds an EC key that is not P-256 (ES256 needs P-256)");
      }
      return new JwtKeys(privatePem, publicPem, publicKey);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new StartupException("AIAAS_JWT_KEY_FILE: " + file + " does not hold a valid EC key pair: " + e.getMessage(), e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static byte[] der(String pem) {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  /** RFC 7638 JWK thumbprint: a key id derived from the key, the same on every node. */
  private static String thumbprint(ECPublicKey key) {
    String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + coordinate(key.getW().getAffineX())
        + "\",\"y\":\"" + coordinate(key.getW().getAffineY()) + "\"}";
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A P-256 coordinate as the 32-byte big-endian base64url JWK wants. */
  private static String coordinate(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] fixed = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }

  public String kid() {
    return kid;
  }

  String privatePem() {
    return privatePem;
  }

  String publicPem() {
    return publicPem;
  }

  /** The public key as a JWK for {@code /.well-known/jwks.json}. */
  public JsonObject publicJwk() {
    return new JsonObject()
        .put("kty", "EC")
        .put("crv", "P-256")
        .put("x", coordinate(publicKey.getW().getAffineX()))
        .put("y", coordinate(publicKey.getW().getAffineY()))
        .put("kid", kid)
        .put("use", "sig")
        .put("alg", ALGORITHM);
  }

  @Override
  public String toString() {
    // The private key must never reach a log through an accidental toString.
    return "JwtKeys[kid=" + kid + "]";
  }
}
