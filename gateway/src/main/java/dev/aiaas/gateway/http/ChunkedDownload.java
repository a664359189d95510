package dev.aiaas.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a file stored as numbered chunks (seq 0, 1, ...) at the client's pace: one chunk is read
 * only when the previous one has left, so a large file is never held whole in memory.
 */
public final class ChunkedDownload {

  private static final Logger LOG = LoggerFactory.getLogger(ChunkedDownload.class);

  private ChunkedDownload() {
  }

  /**
   * Writes chunk after chunk of {@code chunks} (empty past the last one) and ends the response.
   * A failed read resets the connection: the headers are gone, and a cut connection tells the
   * client the file is incomplete.
   */
  public static void send(HttpServerResponse response, IntFunction<Future<Optional<Buffer>>> chunks) {
    sendFrom(null, response, chunks, 0);
  }

  /**
   * As {@link #send(HttpServerResponse, IntFunction)} on the context's response; a read that
   * fails before the first byte went out (e.g. a chunk that fails authentication) is answered by
   * the failure handler with a problem instead of a cut connection.
   */
  public static void send(RoutingContext ctx, IntFunction<Future<Optional<Buffer>>> chunks) {
    sendFrom(ctx, ctx.response(), chunks, 0);
  }

  private static void sendFrom(RoutingContext ctx, HttpServerResponse response, IntFunction<Future<Optional<Buffer>>> chunks,
      int seq) {
    chunks.apply(seq).onComplete(chunk -> {
      if (chunk.failed()) {
        if (ctx != null && !response.headWritten()) {
          // The download's own headers describe a file that will not come.
          response.headers().remove("Content-Length").remove("Content-Disposition").remove("Content-Type");
          ctx.fail(chunk.cause());
          return;
        }
        LOG.warn("download broke off at chunk {}: {}", seq, chunk.cause().getMessage());
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
        response.drainHandler(v -> sendFrom(ctx, response, chunks, seq + 1));
      } else {
        sendFrom(ctx, response, chunks, seq + 1);
      }
    });
  }
}
