package dev.aiaas.gateway.db;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where PostgreSQL is and how to log in, parsed from {@code postgresql://user:pass@host:port/db}.
 * Its {@link #toString()} never shows the password.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

  /** Parses a {@code postgresql://} (or {@code postgres://}) URL; throws with a readable reason. */
  public static DatabaseUrl parse(String raw) {
    URI uri;
    try {
      uri = new URI(raw.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed URL (expected postgresql://user:pass@host:port/db): " + redact(raw));
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("expected a postgresql:// URL, got scheme '" + uri.getScheme() + "'");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new IllegalArgumentException("missing host (expected postgresql://user:pass@host:port/db): " + redact(raw));
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(path.startsWith("/") ? path.substring(1) : path);
    if (database.isBlank() || database.contains("/")) {
      throw new IllegalArgumentException("missing or invalid database name (expected .../db): " + redact(raw));
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null || userInfo.isBlank()) {
      throw new IllegalArgumentException("missing user (expected postgresql://user:pass@host:port/db): " + redact(raw));
    }
    int colon = userInfo.indexOf(':');
    String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
    String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    return new DatabaseUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user, password);
  }

  /** The same server with another database: tests create one database per test class. */
  public DatabaseUrl withDatabase(String otherDatabase) {
    return new DatabaseUrl(host, port, otherDatabase, user, password);
  }

  /** The JDBC form Flyway needs. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** Options for the reactive client (vertx-pg-client). */
  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPassword(password);
  }

  /** The URL in the configuration's form, password included: for child processes, never for logs. */
  public String toUrlWithPassword() {
    String info = encode(user) + (password.isEmpty() ? "" : ":" + encode(password));
    return "postgresql://" + info + "@" + host + ":" + port + "/" + encode(database);
  }

  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Hides the password of a URL that failed to parse, so the error can be shown. */
  private static String redact(String raw) {
    return raw.replaceAll("(//[^:/@]*:)[^@]*@", "$1***@");
  }
}
