package dev.aiaas.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The platform's master key (AES-256), kept in one file outside the database ({@code
 * AIAAS_MASTER_KEY_FILE}) and created at first start with owner-only permissions, like the JWT
 * key. It only wraps the tenants' data keys. Its id is a check value derived from the key, so the
 * database can tell which key wrapped what without holding the key.
 */
public final class MasterKey {

  /** The setting that names the file, used in every message about it. */
  public static final String SETTING = "AIAAS_MASTER_KEY_FILE";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;

  private final SecretKey key;
  private final String id;
  private final Path file;

  private MasterKey(byte[] raw, Path file) {
    this.key = new SecretKeySpec(raw, "AES");
    this.id = checkValue(raw);
    this.file = file;
  }

  /** Loads the key file, creating it (with a new random key) if it does not exist. Blocking. */
  public static MasterKey loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file, newRawKey());
      }
    } catch (IOException e) {
      throw new KeyFileException(SETTING + ": cannot create " + file + ": " + e.getMessage(), e);
    }
    return load(file);
  }

  /** Loads an existing key file. Blocking. */
  public static MasterKey load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new KeyFileException(SETTING + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      raw = new byte[0];
    }
    if (raw.length != KEY_BYTES) {
      throw new KeyFileException(SETTING + ": " + file + " must hold one base64 line of a 32-byte (AES-256) key");
    }
    return new MasterKey(raw, file);
  }

  /**
   * Writes a new random key to {@code file} with owner-only permissions; does nothing if the file
   * exists (another process of this installation created it first). Blocking.
   */
  public static void createIfAbsent(Path file) throws IOException {
    if (!Files.exists(file)) {
      create(file, newRawKey());
    }
  }

  private static byte[] newRawKey() {
    byte[] raw = new byte[KEY_BYTES];
    RANDOM.nextBytes(raw);
    return raw;
  }

  private static void create(Path file, byte[] raw) throws IOException {
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
    Files.writeString(file, Base64.getEncoder().encodeToString(raw) + "\n", StandardCharsets.US_ASCII,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** 16 hex digits of a SHA-256 over a label and the key: names the key, reveals nothing usable of it. */
  private static String checkValue(byte[] raw) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("aiaas master key id v1".getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha.digest(raw), 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The key's id (check value), stored beside every data key it wraps. */
  public String id() {
    return id;
  }

  /** The file it was read from. */
  public Path file() {
    return file;
  }

  /** Wraps a tenant's data key: AES-GCM, nonce first, bound to the tenant and to this key's id. */
  public byte[] wrap(UUID tenantId, SecretKey dataKey) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad(tenantId));
      byte[] sealed = cipher.doFinal(dataKey.getEncoded());
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /** Unwraps a data key this key wrapped for {@code tenantId}; fails if it did not. */
  public SecretKey unwrap(UUID tenantId, byte[] wrapped) {
    try {
      if (wrapped.length < NONCE_BYTES + 16) {
        throw new AEADBadTagException("too short");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, wrapped, 0, NONCE_BYTES));
      cipher.updateAAD(aad(tenantId));
      return new SecretKeySpec(cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES), "AES");
    } catch (GeneralSecurityException | java.security.ProviderException e) {
      throw new KeyFileException(SETTING + ": the data key of tenant " + tenantId + " does not open with master key " + id
          + " from " + file + " (another key file, or the stored key was changed)", e);
    }
  }

  private byte[] aad(UUID tenantId) {
    return ("aiaas-data-key-v1/" + tenantId + "/" + id).getBytes(StandardCharsets.US_ASCII);
  }

  /** A new random AES-256 data key. */
  public static SecretKey newDataKey() {
    return new SecretKeySpec(newRawKey(), "AES");
  }

  @Override
  public String toString() {
    // The key must never reach a log through an accidental toString.
    return "MasterKey[id=" + id + "]";
  }
}
