package dev.aiaas.gateway.metrics;

import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/** Metrics options for a Vert.x instance: Micrometer with a Prometheus registry of its own. */
public final class Metrics {

  private Metrics() {}

  /**
   * Options publishing into {@code registryName}. Each platform in a JVM gets its own registry so
   * two instances (as in tests) never mix their numbers.
   */
  public static MicrometerMetricsOptions options(String registryName) {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName(registryName)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }
}
