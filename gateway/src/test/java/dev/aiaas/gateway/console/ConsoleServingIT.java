package dev.aiaas.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.RunningPlatform;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the gateway serves the console's files: addresses, caching and the browser security headers. */
class ConsoleServingIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final Pattern ASSET = Pattern.compile("/console/assets/[A-Za-z0-9_-]+\\.(js|css)");

  /** Verifies that the root redirects to the console. */
  @Test
  void rootRedirectsToConsole() {
    HttpResponse<String> response = app.get("/");

    assertEquals(302, response.statusCode());
    assertEquals("/console/", response.headers().firstValue("Location").orElseThrow());
  }

  /** Verifies that the entry page is never cached and carries a strict CSP and the other headers. */
  @Test
  void indexIsUncachedWithSecurityHeaders() {
    HttpResponse<String> response = app.get("/console/");

    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElseThrow());
    String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'") && csp.contains("default-src 'self'"), csp);
    assertTrue(!csp.contains("unsafe-eval") && !csp.matches(".*script-src[^;]*unsafe-inline.*"), csp);
    assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
    assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElseThrow());
    // No inline script: everything the page runs comes from a file under the CSP.
    assertTrue(!response.body().matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), response.body());
  }

  /** Verifies that a deep link (a reload on a page of the app) gets the entry page, not a 404. */
  @Test
  void deepLinkFallsBackToIndex() {
    HttpResponse<String> index = app.get("/console/");
    HttpResponse<String> deep = app.get("/console/models/churn");

    assertEquals(200, deep.statusCode());
    assertEquals(index.body(), deep.body());
    assertEquals("no-cache", deep.headers().firstValue("Cache-Control").orElseThrow());
  }

  /** Verifies that hashed assets are cached for a year as immutable, and a missing one is a 404. */
  @Test
  void hashedAssetsAreImmutable() {
    Matcher asset = ASSET.matcher(app.get("/console/").body());
    assertTrue(asset.find(), "the entry page names its script");

    HttpResponse<String> response = app.get(asset.group());

    assertEquals(200, response.statusCode());
    String cache = response.headers().firstValue("Cache-Control").orElseThrow();
    assertTrue(cache.contains("immutable") && cache.contains("max-age=31536000"), cache);
    assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
    assertEquals(404, app.get("/console/assets/no-such-file-1234.js").statusCode());
  }

  /** Verifies that the API still answers problems for unknown API paths (the console does not swallow them). */
  @Test
  void apiPathsAreNotTheConsole() {
    HttpResponse<String> response = app.get("/v1/no-such-thing");

    assertEquals(404, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
  }
}
