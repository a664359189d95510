package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;
import java.util.UUID;

/** Published to {@link ServingAddresses#ROUTE_CHANGED} after a deploy or undeploy: gateways drop the cached route. */
public record RouteChanged(UUID tenantId, String name) {

  public static final Wire<RouteChanged> WIRE = new Wire<>(RouteChanged.class,
      (out, m) -> out.uuid(m.tenantId()).string(m.name()), in -> new RouteChanged(in.uuid(), in.string()));
}
