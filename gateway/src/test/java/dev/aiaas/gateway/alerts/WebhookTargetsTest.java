package dev.aiaas.gateway.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The address classes webhooks may not reach, URL shapes, and the retry backoff. */
class WebhookTargetsTest {

  /** Verifies that loopback, private, shared, link-local, unique-local and unspecified addresses count as internal, public ones not. */
  @Test
  void classifiesAddresses() throws Exception {
    for (String internal : new String[] {"127.0.0.1", "127.9.9.9", "10.0.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "::1", "::", "fe80::1", "fc00::1", "fdff::1", "::ffff:10.0.0.1", "::127.0.0.1", "224.0.0.1"}) {
      assertTrue(WebhookTargets.isInternal(InetAddress.getByName(internal)), internal);
    }
    for (String external : new String[] {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:2800:220:1::1"}) {
      assertFalse(WebhookTargets.isInternal(InetAddress.getByName(external)), external);
    }
  }

  /** Verifies that only http and https URLs with a host and no credentials parse, with default ports. */
  @Test
  void parsesOnlyHttpUrls() {
    assertEquals(443, WebhookTargets.parse("https://example.com/x").port());
    assertEquals(80, WebhookTargets.parse("http://example.com").port());
    assertEquals("::1", WebhookTargets.parse("http://[::1]:81/").host());
    for (String bad : new String[] {"ftp://example.com", "file:///etc/passwd", "http:///nohost", "https://u:p@example.com/", "::"}) {
      assertThrows(WebhookTargets.Refused.class, () -> WebhookTargets.parse(bad), bad);
    }
  }

  /** Verifies that the wait doubles per failed attempt and is capped. */
  @Test
  void backoffDoublesUpToTheCap() {
    AlertTiming timing = new AlertTiming(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5), 8, Duration.ofSeconds(10));
    assertEquals(Duration.ofSeconds(30), timing.backoff(1));
    assertEquals(Duration.ofSeconds(60), timing.backoff(2));
    assertEquals(Duration.ofSeconds(240), timing.backoff(4));
    assertEquals(Duration.ofMinutes(5), timing.backoff(5));
    assertEquals(Duration.ofMinutes(5), timing.backoff(60));
  }
}
