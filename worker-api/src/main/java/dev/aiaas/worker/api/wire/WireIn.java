package dev.aiaas.worker.api.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads the fields {@link WireOut} wrote, in the same order. */
public final class WireIn {

  private final Buffer buffer;
  private int pos;

  WireIn(Buffer buffer, int pos) {
    this.buffer = buffer;
    this.pos = pos;
  }

  public boolean bool() {
    return buffer.getByte(pos++) != 0;
  }

  public int int32() {
    int value = buffer.getInt(pos);
    pos += 4;
    return value;
  }

  public long int64() {
    long value = buffer.getLong(pos);
    pos += 8;
    return value;
  }

  public double float64() {
    double value = buffer.getDouble(pos);
    pos += 8;
    return value;
  }

  public UUID uuid() {
    return new UUID(int64(), int64());
  }

  public String string() {
    int length = int32();
    if (length < 0) {
      return null;
    }
    String value = buffer.getString(pos, pos + length, StandardCharsets.UTF_8.name());
    pos += length;
    return value;
  }

  public List<String> strings() {
    int size = int32();
    List<String> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      values.add(string());
    }
    return values;
  }

  public JsonObject jsonObject() {
    String text = string();
    return text == null ? null : new JsonObject(text);
  }

  public JsonArray jsonArray() {
    String text = string();
    return text == null ? null : new JsonArray(text);
  }

  int position() {
    return pos;
  }
}
