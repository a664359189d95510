package dev.aiaas.worker.api;

import dev.aiaas.worker.api.wire.Wire;

/** A gateway's reply to an outcome: it is recorded (committed), so the worker stops resending it. */
public record Ack() {

  public static final Ack INSTANCE = new Ack();

  public static final Wire<Ack> WIRE = new Wire<>(Ack.class, (out, m) -> {}, in -> INSTANCE);
}
