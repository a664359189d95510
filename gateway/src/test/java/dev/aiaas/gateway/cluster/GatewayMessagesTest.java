package dev.aiaas.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.aiaas.gateway.cluster.GatewayMessages.KeyRevoked;
import dev.aiaas.gateway.cluster.GatewayMessages.SessionsEnded;
import dev.aiaas.gateway.cluster.GatewayMessages.TenantChanged;
import dev.aiaas.worker.api.wire.RecordCodec;
import dev.aiaas.worker.api.wire.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GatewayMessagesTest {

  private static final List<Object> SAMPLES = List.of(
      new KeyRevoked(UUID.randomUUID()),
      new TenantChanged(Optional.of(UUID.randomUUID())),
      new TenantChanged(Optional.empty()),
      new SessionsEnded(List.of(UUID.randomUUID(), UUID.randomUUID())),
      new SessionsEnded(List.of()));

  /** Verifies that every gateway message survives the clustered encoding unchanged. */
  @Test
  void clusteredEncodingRoundTrips() {
    assertEquals(GatewayMessages.WIRES.stream().map(Wire::type).collect(Collectors.toSet()),
        SAMPLES.stream().map(Object::getClass).collect(Collectors.toSet()), "a sample of every message");
    for (Object sample : SAMPLES) {
      Wire<?> wire = GatewayMessages.WIRES.stream().filter(w -> w.type() == sample.getClass()).findFirst().orElseThrow();
      assertEquals(sample, roundTrip(wire, sample));
    }
  }

  /** Verifies that a node's own subscribers get the very object published: no copy, no encoding. */
  @Test
  void localDeliveryPassesTheSameInstance() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      GatewayMessages.registerCodecs(vertx);
      for (int i = 0; i < SAMPLES.size(); i++) {
        CompletableFuture<Object> received = new CompletableFuture<>();
        String address = "test.gateway." + i;
        vertx.eventBus().consumer(address, msg -> received.complete(msg.body())).completion().await(10, TimeUnit.SECONDS);
        vertx.eventBus().publish(address, SAMPLES.get(i));
        assertSame(SAMPLES.get(i), received.get(10, TimeUnit.SECONDS));
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(Wire<T> wire, Object sample) {
    RecordCodec<T> codec = wire.codec();
    Buffer buffer = Buffer.buffer();
    codec.encodeToWire(buffer, (T) sample);
    return codec.decodeFromWire(0, buffer);
  }
}
