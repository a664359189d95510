package dev.aiaas.gateway.cluster;

import dev.aiaas.worker.api.EventBusCodecs;
import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The messages gateway nodes publish to each other ({@link GatewayAddresses}), with their clustered encodings. */
public final class GatewayMessages {

  /** Published to {@link GatewayAddresses#KEY_REVOKED}: every node forgets the key. */
  public record KeyRevoked(UUID keyId) {

    static final Wire<KeyRevoked> WIRE =
        new Wire<>(KeyRevoked.class, (out, m) -> out.uuid(m.keyId()), in -> new KeyRevoked(in.uuid()));
  }

  /** Published to {@link GatewayAddresses#TENANT_CHANGED}: one tenant changed, or (empty) every tenant (a plan changed). */
  public record TenantChanged(Optional<UUID> tenantId) {

    static final Wire<TenantChanged> WIRE = new Wire<>(TenantChanged.class,
        (out, m) -> {
          out.bool(m.tenantId().isPresent());
          m.tenantId().ifPresent(out::uuid);
        },
        in -> new TenantChanged(in.bool() ? Optional.of(in.uuid()) : Optional.empty()));
  }

  /** Published to {@link GatewayAddresses#SESSIONS_ENDED}: every node refuses these sessions' access tokens. */
  public record SessionsEnded(List<UUID> sessionIds) {

    public SessionsEnded {
      sessionIds = List.copyOf(sessionIds);
    }

    static final Wire<SessionsEnded> WIRE = new Wire<>(SessionsEnded.class,
        (out, m) -> {
          out.int32(m.sessionIds().size());
          m.sessionIds().forEach(out::uuid);
        },
        in -> {
          int size = in.int32();
          List<UUID> ids = new ArrayList<>(size);
          for (int i = 0; i < size; i++) {
            ids.add(in.uuid());
          }
          return new SessionsEnded(ids);
        });
  }

  /** The gateways' own messages, registered next to the worker API's. */
  static final List<Wire<?>> WIRES = List.of(KeyRevoked.WIRE, TenantChanged.WIRE, SessionsEnded.WIRE);

  private GatewayMessages() {}

  /** Registers the codecs of every message a gateway sends or receives, once per Vert.x instance. */
  public static void registerCodecs(Vertx vertx) {
    EventBusCodecs.register(vertx);
    EventBusCodecs.register(vertx, WIRES);
  }
}
