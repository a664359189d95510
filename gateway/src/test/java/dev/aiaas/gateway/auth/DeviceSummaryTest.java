package dev.aiaas.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Verifies that sessions are shown with a device a person recognises. */
class DeviceSummaryTest {

  @Test
  void verifiesThatBrowsersAreNamedWithTheirSystem() {
    assertEquals("Chrome on Linux", DeviceSummary.of(Optional.of(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")));
    assertEquals("Edge on Windows", DeviceSummary.of(Optional.of(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0")));
    assertEquals("Safari on iOS", DeviceSummary.of(Optional.of(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")));
    assertEquals("Firefox on macOS", DeviceSummary.of(Optional.of(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:120.0) Gecko/20100101 Firefox/120.0")));
  }

  @Test
  void verifiesThatProgramsAreNamedWithoutTheirVersion() {
    assertEquals("curl", DeviceSummary.of(Optional.of("curl/8.4.0")));
    assertEquals("Java-http-client", DeviceSummary.of(Optional.of("Java-http-client/17.0.9")));
    assertEquals("unknown device", DeviceSummary.of(Optional.empty()));
  }
}
