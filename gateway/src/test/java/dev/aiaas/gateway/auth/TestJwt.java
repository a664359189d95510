package dev.aiaas.gateway.auth;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds JWTs by hand for attack tests: any header, any claims, any signature. */
final class TestJwt {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private TestJwt() {}

  static String unsigned(JsonObject header, JsonObject claims) {
    return part(header) + "." + part(claims) + ".";
  }

  static String es256(JsonObject header, JsonObject claims, PrivateKey key) throws Exception {
    String input = part(header) + "." + part(claims);
    Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
    signature.initSign(key);
    signature.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encodeToString(signature.sign());
  }

  static String hs256(JsonObject header, JsonObject claims, byte[] secret) throws Exception {
    String input = part(header) + "." + part(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  static JsonObject header(String token) {
    return decode(token.split("\\.")[0]);
  }

  static JsonObject claims(String token) {
    return decode(token.split("\\.")[1]);
  }

  /** The platform's signing key, read from its key file. */
  static PrivateKey platformKey(Path keyFile) throws Exception {
    String pem = Files.readString(keyFile);
    String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----"), pem.indexOf("-----END PRIVATE KEY-----"))
        .replace("-----BEGIN PRIVATE KEY-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }

  /** The platform's public key PEM, as an attacker would fetch or guess it. */
  static String platformPublicPem(Path keyFile) throws Exception {
    String pem = Files.readString(keyFile);
    return pem.substring(pem.indexOf("-----BEGIN PUBLIC KEY-----"));
  }

  private static String part(JsonObject json) {
    return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject decode(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }
}
