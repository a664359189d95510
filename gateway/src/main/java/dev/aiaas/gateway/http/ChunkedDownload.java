package dev.aiaas.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Streams a file stored as numbered chunks (seq 0, 1, ...) at the client's pace: one chunk is read
 * only when the previous one has left, so a large file is never held whole in memory.
 */
public final class ChunkedDownload {

  private ChunkedDownload() {
  }

  /**
   * Writes chunk after chunk of {@code chunks} (empty past the last one) and ends the response.
   * A failed read resets the connection: the headers are gone, and a cut connection tells the
   * client the file is incomplete.
   */
  public static void send(HttpServerResponse response, IntFunction<Future<Optional<Buffer>>> chunks) {
    sendFrom(response, chunks, 0);
  }

  private static void sendFrom(HttpServerResponse response, IntFunction<Future<Optional<Buffer>>> chunks, int seq) {
    chunks.apply(seq).onComplete(chunk -> {
      if (chunk.failed()) {
        response.reset();
        return;
      }
      Optional<Buffer> data = chunk.result();
      if (data.isEmpty()) {
        response.end();
        return;
      }
      response.write(data.get());
      if (response.writeQueueFull()) {
        response.drainHandler(v -> sendFrom(response, chunks, seq + 1));
      } else {
        sendFrom(response, chunks, seq + 1);
      }
    });
  }
}
