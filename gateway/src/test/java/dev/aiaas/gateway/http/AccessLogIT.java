package dev.aiaas.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aiaas.gateway.secrets.LogCapture;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The access log (on by default): one line per request on {@code aiaas.access} with method, route
 * template, status, duration, tenant and request id, and never a credential.
 */
class AccessLogIT {

  @RegisterExtension
  @Order(1)
  static final LogCapture logs = new LogCapture();

  @RegisterExtension
  @Order(2)
  static final RunningPlatform app = new RunningPlatform();

  private static TenantFixture acme;

  @BeforeAll
  static void tenant() {
    acme = TenantFixture.create(app, "acme");
  }

  /**
   * Verifies that a request authenticated with an API key gets one line naming its method, the
   * route template (not the path), status, duration, tenant and request id.
   */
  @Test
  void oneLinePerRequestWithItsFields() {
    HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/v1/models/churn"))
        .header("Authorization", "Bearer " + acme.key()).header(RequestIds.HEADER, "access-log-fields").GET());

    String line = accessLine("access-log-fields");
    assertEquals(404, response.statusCode());
    assertTrue(Pattern.compile("method=GET route=/v1/models/\\{name} status=404 duration_ms=\\d+\\.\\d{3} tenant=" + acme.id()
        + " request_id=access-log-fields").matcher(line).find(), line);
    assertFalse(line.contains("churn"), "the path itself is not logged, only its template: " + line);
  }

  /** Verifies that a request matching no operation is logged too, with no route and no tenant. */
  @Test
  void unmatchedRequestsAreLogged() {
    app.send(HttpRequest.newBuilder(app.uri("/v1/nothing-here")).header(RequestIds.HEADER, "access-log-unmatched").GET());

    String line = accessLine("access-log-unmatched");
    assertTrue(line.contains("method=GET route=- status=404 "), line);
    assertTrue(line.contains(" tenant=- "), line);
  }

  /**
   * Verifies that no credential reaches the log: not an API key in {@code X-API-Key} or in a query
   * string, not a bearer token, not a password in a login body.
   */
  @Test
  void noCredentialIsLogged() {
    String token = acme.ownerToken();
    app.send(HttpRequest.newBuilder(app.uri("/v1/tenant")).header("X-API-Key", acme.key()).header(RequestIds.HEADER, "access-log-key")
        .GET());
    app.send(HttpRequest.newBuilder(app.uri("/v1/tenant?api_key=" + acme.key() + "&access_token=" + token))
        .header("Authorization", "Bearer " + token).header(RequestIds.HEADER, "access-log-query").GET());
    app.send(HttpRequest.newBuilder(app.uri("/v1/auth/login")).header("Content-Type", "application/json")
        .header(RequestIds.HEADER, "access-log-login")
        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + acme.ownerEmail() + "\",\"password\":\"" + TenantFixture.PASSWORD + "\"}")));

    assertTrue(accessLine("access-log-key").contains("route=/v1/tenant status=200 "));
    assertTrue(accessLine("access-log-query").contains("route=/v1/tenant "));
    assertTrue(accessLine("access-log-login").contains("method=POST route=/v1/auth/login status=200 "));
    for (String line : logs.lines()) {
      for (String secret : List.of(acme.key(), token, TenantFixture.PASSWORD)) {
        assertFalse(line.contains(secret), "a credential was logged in: " + line.replace(secret, "<secret>"));
      }
    }
  }

  /**
   * Verifies that a line reaches the logger already written, with no arguments left to format: the
   * line is built per request by appending, not by parsing a pattern for every request.
   */
  @Test
  void linesAreLoggedPreformatted() {
    ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AccessLog.LOGGER);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    access.addAppender(events);
    try {
      app.send(HttpRequest.newBuilder(app.uri("/v1/tenant")).header("X-API-Key", acme.key()).header(RequestIds.HEADER, "access-log-plain")
          .GET());
      accessLine("access-log-plain");
      ILoggingEvent event = events.list.stream().filter(e -> e.getFormattedMessage().contains("request_id=access-log-plain"))
          .findFirst().orElseThrow();
      assertTrue(event.getArgumentArray() == null || event.getArgumentArray().length == 0, event.getMessage());
      assertEquals(event.getMessage(), event.getFormattedMessage());
      assertTrue(event.getMessage().startsWith("method=GET route=/v1/tenant status=200 duration_ms="), event.getMessage());
    } finally {
      access.detachAppender(events);
    }
  }

  /** The access line of the request with {@code requestId}, once written (after the response). */
  private static String accessLine(String requestId) {
    Optional<String> line = Eventually.until(
        () -> logs.lines().stream().filter(l -> l.startsWith("INFO aiaas.access - ") && l.contains("request_id=" + requestId)).findFirst(),
        Optional::isPresent, Duration.ofSeconds(5));
    assertEquals(1, logs.lines().stream().filter(l -> l.startsWith("INFO aiaas.access - ") && l.contains("request_id=" + requestId)).count(),
        "one line per request");
    return line.orElseThrow();
  }
}
