package dev.aiaas.gateway.metrics;

import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** Serves the process's metrics (Vert.x, JVM and the platform's own) in Prometheus text format. */
public final class MetricsRoutes {

  private final String registryName;

  public MetricsRoutes(String registryName) {
    this.registryName = registryName;
  }

  public void register(Operations operations) {
    operations.raw("getMetrics", Access.PUBLIC, PrometheusScrapingHandler.create(registryName));
  }
}
