package dev.aiaas.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.secrets.LogCapture;
import dev.aiaas.gateway.testing.RunningPlatform;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The access log switched off with {@code AIAAS_ACCESS_LOG=false}. */
class AccessLogOffIT {

  @RegisterExtension
  @Order(1)
  static final LogCapture logs = new LogCapture();

  @RegisterExtension
  @Order(2)
  static final RunningPlatform app = new RunningPlatform().with("AIAAS_ACCESS_LOG", "false");

  /** Verifies that with the access log off, requests (answered or not) write no access line, while the rest of the log still works. */
  @Test
  void noLinesWhenOff() {
    assertEquals(200, app.get("/health/live").statusCode());
    assertEquals(404, app.send(HttpRequest.newBuilder(app.uri("/v1/nothing-here")).header(RequestIds.HEADER, "access-log-off").GET())
        .statusCode());
    app.adminToken();

    List<String> lines = logs.lines();
    assertTrue(lines.stream().anyMatch(l -> l.contains("dev.aiaas.gateway.launcher.Platform - API: ")), "the capture sees the log");
    assertEquals(List.of(), lines.stream().filter(l -> l.contains(" " + AccessLog.LOGGER + " - ")).toList());
  }
}
