package dev.aiaas.gateway.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one value out of a {@code /metrics} scrape (Prometheus text format). */
public final class PrometheusText {

  private PrometheusText() {}

  /** The value of the first sample of {@code metric} (any labels), or NaN when the scrape has none. */
  public static double value(String scrape, String metric) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** Waits until the platform has {@code n} predict requests waiting for the workers. */
  public static void awaitPredictionsInFlight(Api api, int n) {
    Eventually.until(() -> value(api.get("/metrics").body(), "aiaas_predict_in_flight"), v -> v == n,
        java.time.Duration.ofSeconds(10));
  }
}
