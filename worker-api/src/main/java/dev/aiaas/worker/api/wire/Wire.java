package dev.aiaas.worker.api.wire;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The clustered encoding of one message type: how its fields are written and read back. Each
 * message record declares its own next to its fields, so a new field that is not put on the wire
 * shows up in the record's canonical constructor call as a compile error.
 */
public record Wire<T>(Class<T> type, BiConsumer<WireOut, T> write, Function<WireIn, T> read) {

  /** The codec carrying this type over the event bus. */
  public RecordCodec<T> codec() {
    return new RecordCodec<>(this);
  }
}
