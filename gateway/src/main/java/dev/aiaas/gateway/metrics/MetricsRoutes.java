package dev.aiaas.gateway.metrics;

import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** Serves the process's metrics (Vert.x, JVM and the platform's own) in Prometheus text format. */
public final class MetricsRoutes {

  private final String registryName;

  public MetricsRoutes(String registryName) {
    this.registryName = registryName;
  }

  public void mount(Router router) {
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registryName));
  }
}
