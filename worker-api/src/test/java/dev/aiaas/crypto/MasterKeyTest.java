package dev.aiaas.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master key file and the wrapping of data keys. */
class MasterKeyTest {

  @TempDir Path dir;

  /** Verifies that the key file is created at first start, owner-only, and read back as the same key. */
  @Test
  void createsTheFileOnceWithOwnerOnlyPermissions() throws Exception {
    Path file = dir.resolve("keys").resolve("master.key");

    MasterKey created = MasterKey.loadOrCreate(file);
    MasterKey again = MasterKey.loadOrCreate(file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(created.id(), again.id());
    assertEquals(16, created.id().length());
    assertFalse(created.toString().contains(Files.readString(file).trim()), "toString never shows the key");
  }

  /** Verifies that a data key wrapped for a tenant unwraps only with the same master key and for the same tenant. */
  @Test
  void wrapsDataKeysForOneTenant() {
    MasterKey master = MasterKey.loadOrCreate(dir.resolve("a.key"));
    MasterKey other = MasterKey.loadOrCreate(dir.resolve("b.key"));
    UUID tenant = UUID.randomUUID();
    SecretKey dataKey = MasterKey.newDataKey();

    byte[] wrapped = master.wrap(tenant, dataKey);

    assertNotEquals(master.id(), other.id());
    assertArrayEquals(dataKey.getEncoded(), master.unwrap(tenant, wrapped).getEncoded());
    KeyFileException wrongKey = assertThrows(KeyFileException.class, () -> other.unwrap(tenant, wrapped));
    assertTrue(wrongKey.getMessage().startsWith("AIAAS_MASTER_KEY_FILE:"), wrongKey.getMessage());
    assertThrows(KeyFileException.class, () -> master.unwrap(UUID.randomUUID(), wrapped));
  }

  /** Verifies that a file that does not hold a 32-byte base64 key is refused with a message naming the setting. */
  @Test
  void refusesAMalformedFile() throws Exception {
    Path file = dir.resolve("bad.key");
    Files.writeString(file, "not a key\n");

    KeyFileException e = assertThrows(KeyFileException.class, () -> MasterKey.load(file));
    assertTrue(e.getMessage().startsWith("AIAAS_MASTER_KEY_FILE: " + file), e.getMessage());
    assertThrows(KeyFileException.class, () -> MasterKey.load(dir.resolve("missing.key")));
  }
}
