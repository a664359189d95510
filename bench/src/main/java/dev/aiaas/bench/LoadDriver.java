package dev.aiaas.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load driver: {@code connections} clients, each sending its next request as
 * soon as the previous answer arrived, for a fixed time. Records every latency (no sampling) so
 * the percentiles are exact.
 */
final class LoadDriver {

  /** What a run measured. */
  record Result(String name, long requests, long errors, double seconds, long[] latenciesMicros, CostProbe.Cost cost) {

    Result(String name, long requests, long errors, double seconds, long[] latenciesMicros) {
      this(name, requests, errors, seconds, latenciesMicros, null);
    }

    Result withCost(CostProbe.Cost c) {
      return new Result(name, requests, errors, seconds, latenciesMicros, c);
    }

    /** The per-request cost columns, blank if not measured. */
    String costColumns() {
      return cost == null ? "" : cost.perRequest();
    }

    double throughput() {
      return requests / seconds;
    }

    long percentile(double p) {
      if (latenciesMicros.length == 0) {
        return 0;
      }
      int index = (int) Math.ceil(p / 100.0 * latenciesMicros.length) - 1;
      return latenciesMicros[Math.max(0, Math.min(index, latenciesMicros.length - 1))];
    }
  }

  /** Latencies kept per run (40 MB); beyond it requests are still counted. */
  private static final int MAX_RECORDED = 5_000_000;

  private final Vertx vertx;
  private final int connections;
  private final CostProbe probe;

  LoadDriver(Vertx vertx, int connections) {
    this(vertx, connections, null);
  }

  /** With {@code probe} (may be null), each run also reports what it cost per request. */
  LoadDriver(Vertx vertx, int connections, CostProbe probe) {
    this.vertx = vertx;
    this.connections = connections;
    this.probe = probe;
  }

  /** A GET per call. */
  Result run(String name, int port, String path, Map<String, String> headers, Duration duration) throws Exception {
    return run(name, port, HttpMethod.GET, path, headers, null, duration);
  }

  /** {@code method} with {@code body} (none if null) per call; only 200 counts as success. */
  Result run(String name, int port, HttpMethod method, String path, Map<String, String> headers, Buffer body, Duration duration)
      throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(connections));
    long[] latencies = new long[MAX_RECORDED];
    CostProbe.Snapshot before = probe == null ? null : probe.take();
    // When each round starts, to find it in a profile or the access log.
    System.out.println(java.time.Instant.now() + " start: " + name);
    AtomicLong count = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Future<?>[] loops = new Future<?>[connections];
    for (int i = 0; i < connections; i++) {
      Promise<Void> done = Promise.promise();
      loops[i] = done.future();
      vertx.runOnContext(v -> loop(client, method, path, headers, body, end, latencies, count, errors, done));
    }
    Future.join(Arrays.asList(loops)).await();
    double seconds = (System.nanoTime() - start) / 1e9;
    CostProbe.Cost cost = probe == null ? null : CostProbe.between(before, probe.take(), count.get());
    client.close().await();
    int n = (int) Math.min(count.get(), latencies.length);
    long[] measured = Arrays.copyOf(latencies, n);
    Arrays.sort(measured);
    return new Result(name, count.get(), errors.get(), seconds, measured, cost);
  }

  /** One client: the next request goes out from the callback of the previous one. */
  private void loop(HttpClient client, HttpMethod method, String path, Map<String, String> headers, Buffer body, long end,
      long[] latencies, AtomicLong count, AtomicLong errors, Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    long sent = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
    headers.forEach(options::putHeader);
    client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(answer -> response.statusCode()))
        .onComplete(ar -> {
          long micros = (System.nanoTime() - sent) / 1_000;
          long i = count.getAndIncrement();
          if (i < latencies.length) {
            latencies[(int) i] = micros;
          }
          if (ar.failed() || ar.result() != 200) {
            errors.incrementAndGet();
          }
          loop(client, method, path, headers, body, end, latencies, count, errors, done);
        });
  }
}
