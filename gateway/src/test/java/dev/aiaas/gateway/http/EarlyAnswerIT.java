package dev.aiaas.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Early refusals of a streamed upload, as seen by a client that writes its whole body before
 * reading the answer (urllib, requests, HttpURLConnection): it gets the answer, then the end of
 * the connection, instead of blocking forever.
 */
class EarlyAnswerIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  /** Bigger than the socket buffers, so a server that stops reading blocks the writer. */
  private static final int BODY_BYTES = 8 << 20;

  private static TenantFixture unlimited;
  private static TenantFixture tinyUploads;
  private static TenantFixture tinyStorage;

  @BeforeAll
  static void tenants() {
    Api admin = app.api().as(app.adminToken());
    assertEquals(201, admin.post("/v1/admin/plans", new JsonObject().put("name", "early-tiny-uploads")
        .put("limits", new JsonObject().put("upload_bytes", 1024))).status());
    assertEquals(201, admin.post("/v1/admin/plans", new JsonObject().put("name", "early-tiny-storage")
        .put("limits", new JsonObject().put("storage_bytes", 1024))).status());
    unlimited = TenantFixture.create(app, "early");
    tinyUploads = TenantFixture.create(app, "early-uploads", "early-tiny-uploads");
    tinyStorage = TenantFixture.create(app, "early-storage", "early-tiny-storage");
  }

  /** Verifies that an upload over the plan's upload_bytes is answered 413 and the connection then ends. */
  @Test
  void uploadOverThePlanLimitIs413ThenClose() {
    assertAnsweredThenClosed(413, "Authorization: Bearer " + tinyUploads.key());
  }

  /** Verifies that an upload without credentials is answered 401 and the connection then ends. */
  @Test
  void anonymousUploadIs401ThenClose() {
    assertAnsweredThenClosed(401, null);
  }

  /** Verifies that an upload by a viewer (no train permission) is answered 403 and the connection then ends. */
  @Test
  void uploadWithoutPermissionIs403ThenClose() {
    assertAnsweredThenClosed(403, "Authorization: Bearer " + unlimited.viewerToken());
  }

  /** Verifies that an upload over the plan's storage quota is answered 429 and the connection then ends. */
  @Test
  void uploadOverTheStorageQuotaIs429ThenClose() {
    assertAnsweredThenClosed(429, "Authorization: Bearer " + tinyStorage.key());
  }

  /** Verifies that a refusal of a request without a body keeps the connection for the next request. */
  @Test
  void refusalWithoutBodyKeepsTheConnection() {
    String responses = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try (Socket socket = new Socket("127.0.0.1", app.platform().httpPort())) {
        socket.setSoTimeout(20_000);
        // Two requests on one connection; the second asks for the close that ends the read.
        String first = "GET /v1/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        String second = "GET /v1/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        socket.getOutputStream().write((first + second).getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(received);
        return received.toString(StandardCharsets.UTF_8);
      }
    });

    assertEquals(2, responses.split("HTTP/1.1 401 ", -1).length - 1, responses);
  }

  /**
   * GIVEN a client that writes the headers and the whole multi-megabyte body before reading,
   * WHEN the gateway refuses the upload early,
   * THEN the client reads the refusal and then the end of the stream, well within the timeout.
   */
  private static void assertAnsweredThenClosed(int status, String credentials) {
    String response = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> writeWholeBodyThenRead(credentials));

    assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
    assertTrue(response.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"), response);
    assertTrue(response.contains("application/problem+json"), response);
  }

  /** Everything the server sent until it closed the connection. */
  private static String writeWholeBodyThenRead(String credentials) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", app.platform().httpPort())) {
      socket.setSoTimeout(20_000);
      String head = "POST /v1/datasets?name=early&format=csv HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\n"
          + "Content-Type: text/csv\r\n"
          + "Content-Length: " + BODY_BYTES + "\r\n"
          + (credentials == null ? "" : credentials + "\r\n")
          + "\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      byte[] row = new byte[64 * 1024];
      Arrays.fill(row, (byte) 'a');
      for (int written = 0; written < BODY_BYTES; written += row.length) {
        out.write(row);
      }
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      // Reads to the end of the stream: a server that keeps the connection open times this out.
      in.transferTo(received);
      return received.toString(StandardCharsets.UTF_8);
    }
  }
}
