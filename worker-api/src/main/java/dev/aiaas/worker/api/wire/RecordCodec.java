package dev.aiaas.worker.api.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Event-bus codec of one message record. Local delivery passes the very object (records are
 * immutable, so sharing is safe and free); clustered delivery writes the record's {@link Wire}
 * layout behind a length prefix.
 */
public final class RecordCodec<T> implements MessageCodec<T, T> {

  private final Wire<T> wire;

  RecordCodec(Wire<T> wire) {
    this.wire = wire;
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    int lengthAt = buffer.length();
    buffer.appendInt(0);
    wire.write().accept(new WireOut(buffer), message);
    buffer.setInt(lengthAt, buffer.length() - lengthAt - 4);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    WireIn in = new WireIn(buffer, pos + 4);
    T message = wire.read().apply(in);
    if (in.position() != pos + 4 + length) {
      throw new IllegalStateException(name() + ": read " + (in.position() - pos - 4) + " of " + length + " bytes");
    }
    return message;
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return "aiaas." + wire.type().getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  /** The type this codec is the default codec of. */
  public Class<T> type() {
    return wire.type();
  }
}
