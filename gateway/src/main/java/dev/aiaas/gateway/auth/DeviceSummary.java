package dev.aiaas.gateway.auth;

import java.util.List;
import java.util.Optional;

/** Turns a User-Agent header into the few words a person recognises ("Firefox on Linux", "curl"). */
final class DeviceSummary {

  /** Checked in order: Edge and Chrome also say "Safari", so the more specific names come first. */
  private static final List<String[]> BROWSERS = List.of(
      new String[] {"Edg/", "Edge"}, new String[] {"OPR/", "Opera"}, new String[] {"Firefox/", "Firefox"},
      new String[] {"Chrome/", "Chrome"}, new String[] {"Safari/", "Safari"});

  private static final List<String[]> SYSTEMS = List.of(
      new String[] {"Android", "Android"}, new String[] {"iPhone", "iOS"}, new String[] {"iPad", "iOS"},
      new String[] {"Windows", "Windows"}, new String[] {"Mac OS X", "macOS"}, new String[] {"CrOS", "ChromeOS"},
      new String[] {"Linux", "Linux"});

  private DeviceSummary() {}

  static String of(Optional<String> userAgent) {
    if (userAgent.isEmpty()) {
      return "unknown device";
    }
    String agent = userAgent.get();
    Optional<String> browser = first(BROWSERS, agent);
    Optional<String> system = first(SYSTEMS, agent);
    if (browser.isPresent()) {
      return browser.get() + system.map(s -> " on " + s).orElse("");
    }
    // A program (curl, an SDK): its product name without the version.
    String product = agent.split("[\\s/]", 2)[0];
    return product.isEmpty() ? "unknown device" : product;
  }

  private static Optional<String> first(List<String[]> names, String agent) {
    return names.stream().filter(n -> agent.contains(n[0])).map(n -> n[1]).findFirst();
  }
}
