package dev.aiaas.gateway.http;

import dev.aiaas.gateway.config.AiaasConfig;
import dev.aiaas.gateway.workers.WorkerRegistry;
import io.vertx.sqlclient.Pool;

/**
 * What the gateway's routes share, built once per process by the launcher and handed to every
 * gateway verticle instance.
 *
 * @param schemaVersion the migration version this build expects the database to be at
 * @param metricsRegistry the Micrometer registry name the Prometheus endpoint scrapes
 */
public record GatewayContext(
    AiaasConfig config, Pool pool, WorkerRegistry workers, String schemaVersion, String metricsRegistry) {}
