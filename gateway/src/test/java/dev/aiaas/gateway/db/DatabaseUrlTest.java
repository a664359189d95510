package dev.aiaas.gateway.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

  /** Verifies that every part of a full URL is read, with percent-decoding and the default port. */
  @Test
  void parsesFullAndDefaultPort() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://app:p%40ss%3Aw@db.example:6543/aiaas");
    DatabaseUrl noPort = DatabaseUrl.parse("postgres://app@db.example/aiaas");

    assertEquals(new DatabaseUrl("db.example", 6543, "aiaas", "app", "p@ss:w"), url);
    assertEquals("jdbc:postgresql://db.example:6543/aiaas", url.jdbcUrl());
    assertEquals(5432, noPort.port());
    assertEquals("", noPort.password());
  }

  /** Verifies that the text form never shows the password and the full form round-trips. */
  @Test
  void passwordHiddenAndRoundTrips() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://app:top%20secret@h:1/d");

    assertFalse(url.toString().contains("secret"));
    assertEquals(url, DatabaseUrl.parse(url.toUrlWithPassword()));
  }

  /** Verifies that malformed URLs are refused. */
  @Test
  void refusesMalformed() {
    for (String bad : new String[] {"localhost:5432/db", "http://u@h/db", "postgresql://u@h", "postgresql://h:5432/db", "postgresql://u@/db", "postgresql://u@h/a/b"}) {
      assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(bad), bad);
    }
  }
}
