package dev.aiaas.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtKeysTest {

  @TempDir Path dir;

  /** Verifies that the key file is created owner-only at first use and the same key is loaded later. */
  @Test
  void createdOnceThenReused() throws Exception {
    Path file = dir.resolve("keys/jwt-key.pem");

    JwtKeys first = JwtKeys.loadOrCreate(file);
    JwtKeys second = JwtKeys.loadOrCreate(file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(first.kid(), second.kid());
    assertEquals(first.publicJwk(), second.publicJwk());
    assertFalse(first.toString().contains("PRIVATE"));
    assertTrue(Files.readString(file).contains("BEGIN PRIVATE KEY"));
  }

  /** Verifies that two installations get different keys. */
  @Test
  void distinctKeys() {
    assertFalse(JwtKeys.loadOrCreate(dir.resolve("a.pem")).kid().equals(JwtKeys.loadOrCreate(dir.resolve("b.pem")).kid()));
  }

  /** Verifies that a file that is not an EC key pair stops the start with a message naming the setting. */
  @Test
  void invalidFile() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

    StartupException e = assertThrows(StartupException.class, () -> JwtKeys.loadOrCreate(file));

    assertTrue(e.getMessage().startsWith("AIAAS_JWT_KEY_FILE:"), e.getMessage());
  }
}
