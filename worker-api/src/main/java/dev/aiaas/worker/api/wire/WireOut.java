package dev.aiaas.worker.api.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Appends the fields of one message to a buffer in the clustered wire layout that {@link WireIn} reads back. */
public final class WireOut {

  private final Buffer buffer;

  WireOut(Buffer buffer) {
    this.buffer = buffer;
  }

  public WireOut bool(boolean value) {
    buffer.appendByte((byte) (value ? 1 : 0));
    return this;
  }

  public WireOut int32(int value) {
    buffer.appendInt(value);
    return this;
  }

  public WireOut int64(long value) {
    buffer.appendLong(value);
    return this;
  }

  public WireOut float64(double value) {
    buffer.appendDouble(value);
    return this;
  }

  /** Two longs: 16 bytes instead of the 36 of its text. */
  public WireOut uuid(UUID value) {
    buffer.appendLong(value.getMostSignificantBits()).appendLong(value.getLeastSignificantBits());
    return this;
  }

  /** Length-prefixed UTF-8; length -1 stands for null, so optional text needs no flag of its own. */
  public WireOut string(String value) {
    if (value == null) {
      buffer.appendInt(-1);
      return this;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
    return this;
  }

  public WireOut strings(List<String> values) {
    buffer.appendInt(values.size());
    values.forEach(this::string);
    return this;
  }

  /** Free-form JSON (a spec, an evaluation) as its text; null allowed. */
  public WireOut json(JsonObject value) {
    return string(value == null ? null : value.encode());
  }

  public WireOut json(JsonArray value) {
    return string(value == null ? null : value.encode());
  }
}
