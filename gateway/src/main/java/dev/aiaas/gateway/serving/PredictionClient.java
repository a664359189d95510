package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.worker.api.BadInstances;
import dev.aiaas.worker.api.ExplainAnswer;
import dev.aiaas.worker.api.ExplainRequest;
import dev.aiaas.worker.api.PredictAnswer;
import dev.aiaas.worker.api.PredictRequest;
import dev.aiaas.worker.api.ServingAddresses;
import dev.aiaas.worker.api.ServingStatus;
import dev.aiaas.worker.training.FieldError;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Sends predict (and explain) requests to the workers serving a deployment, over the event bus, and turns
 * their failures into API errors. While a version is loading (just deployed, or after a restart)
 * the previous version answers if it is still loaded; otherwise the request is retried for up to
 * {@link #LOADING_PATIENCE} before the client gets 503.
 */
public final class PredictionClient {

  /** How long a request waits for a version that is loading. */
  static final Duration LOADING_PATIENCE = Duration.ofSeconds(3);

  /** The least an explain request waits for the workers, whatever the deployment's {@code timeout_ms}. */
  static final Duration EXPLAIN_MIN_TIMEOUT = Duration.ofSeconds(30);

  private static final long RETRY_DELAY_MS = 100;

  private final Vertx vertx;
  private final RouteTable routes;
  private final DistributionSummary batchSizes;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * Registers in {@code meters}: {@code aiaas.predict.batch.instances}, the size of the forward
   * pass each request ran in, and {@code aiaas.predict.in.flight}, the predict requests waiting
   * for the workers now.
   */
  public PredictionClient(Vertx vertx, RouteTable routes, MeterRegistry meters) {
    this.vertx = vertx;
    this.routes = routes;
    this.batchSizes = DistributionSummary.builder("aiaas.predict.batch.instances")
        .description("instances per forward pass on the workers, observed per request").register(meters);
    Gauge.builder("aiaas.predict.in.flight", inFlight, AtomicInteger::get)
        .description("predict requests waiting for the workers").register(meters);
  }

  private <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
    return vertx.eventBus().request(address, body, options);
  }

  /** The workers' answer: {@code predictions} in instance order, and the version that made them. */
  public record Answer(JsonArray predictions, int version) {}

  /** One kind of request to a version's workers: its address, its body, how long it may take and how its reply reads. */
  private record Call<A>(Function<String, String> address, Object body, ToLongFunction<Deployment> timeoutMs,
      Function<Message<Object>, A> read) {}

  public Future<Answer> predict(Deployment deployment, JsonArray instances) {
    long deadline = System.nanoTime() + LOADING_PATIENCE.toNanos();
    inFlight.incrementAndGet();
    Call<Answer> call = new Call<>(ServingAddresses::predict, new PredictRequest(instances), d -> d.batching().timeoutMs(),
        reply -> {
          PredictAnswer answer = (PredictAnswer) reply.body();
          batchSizes.record(answer.batchSize());
          return new Answer(answer.predictions(), answer.version());
        });
    return send(deployment, deployment.modelId(), call, deadline, true)
        .onComplete(done -> inFlight.decrementAndGet());
  }

  /**
   * Explanations of {@code instances} by the version's workers, waiting up to the deployment's
   * {@code timeout_ms} but at least {@link #EXPLAIN_MIN_TIMEOUT}: a gradient pass over every step
   * of every instance costs far more than a forward pass.
   */
  public Future<ExplainAnswer> explain(Deployment deployment, JsonArray instances, int steps) {
    long deadline = System.nanoTime() + LOADING_PATIENCE.toNanos();
    Call<ExplainAnswer> call = new Call<>(ServingAddresses::explain, new ExplainRequest(instances, steps),
        d -> Math.max(d.batching().timeoutMs(), EXPLAIN_MIN_TIMEOUT.toMillis()), reply -> (ExplainAnswer) reply.body());
    return send(deployment, deployment.modelId(), call, deadline, true);
  }

  private <A> Future<A> send(Deployment d, UUID modelId, Call<A> call, long deadline, boolean mayFallBack) {
    long timeoutMs = call.timeoutMs().applyAsLong(d);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    return this.<Object>request(call.address().apply(modelId.toString()), call.body(), options)
        .map(call.read())
        .recover(failure -> {
          if (!(failure instanceof ReplyException e)) {
            return Future.failedFuture(failure);
          }
          boolean notServedHere = e.failureType() == ReplyFailure.NO_HANDLERS
              || (e.failureType() == ReplyFailure.RECIPIENT_FAILURE && e.failureCode() == ServingAddresses.RETIRING);
          if (notServedHere) {
            if (mayFallBack && d.previousModelId().isPresent()) {
              return send(d, d.previousModelId().get(), call, deadline, false);
            }
            return retryWhileLoading(d, call, deadline);
          }
          return Future.failedFuture(toApiError(d, e, timeoutMs));
        });
  }

  /** The route may have changed (a redeploy) or the version may still be loading: look again shortly. */
  private <A> Future<A> retryWhileLoading(Deployment d, Call<A> call, long deadline) {
    if (System.nanoTime() > deadline) {
      return Future.failedFuture(ApiException.unavailable("model-loading", "model '" + d.name() + "' version " + d.version()
          + " is deployed but no worker has loaded it yet; retry shortly").withHeader("Retry-After", "1"));
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(RETRY_DELAY_MS, id -> later.complete());
    return later.future().compose(v -> {
      routes.forget(d.tenantId(), d.name());
      return routes.route(d.tenantId(), d.name());
    }).compose(route -> route.isEmpty()
        ? Future.failedFuture(notDeployed(d.name()))
        : send(route.get(), route.get().modelId(), call, deadline, false));
  }

  static ApiException notDeployed(String name) {
    return ApiException.conflict("model-not-deployed", "model '" + name + "' is not deployed; deploy a version with"
        + " POST /v1/models/" + name + "/deployment");
  }

  private static ApiException toApiError(Deployment d, ReplyException e, long timeoutMs) {
    if (e.failureType() == ReplyFailure.TIMEOUT) {
      return new ApiException(504, "prediction-timeout", "Gateway timeout", "model '" + d.name() + "' did not answer within "
          + timeoutMs + " ms");
    }
    return switch (e.failureCode()) {
      case ServingAddresses.BAD_INSTANCES -> badInstances(BadInstances.fromFailureMessage(e.getMessage()));
      case ServingAddresses.OVERLOADED -> ApiException.unavailable("overloaded", "model '" + d.name()
          + "' has more requests queued than its deployment allows (max_queue " + d.batching().maxQueue() + "); retry shortly")
          .withHeader("Retry-After", "1");
      default -> new ApiException(500, "prediction-failed", "Internal server error",
          "the workers failed to run model '" + d.name() + "'; quote the request id when reporting it");
    };
  }

  private static ApiException badInstances(BadInstances bad) {
    FieldError first = bad.errors().get(0);
    return ApiException.badRequest("invalid-instances", first.field() + ": " + first.message()).withFieldErrors(bad.toJson());
  }

  /** Whether some worker has loaded the version (answers a ping), within {@code timeout}. */
  public Future<Boolean> loaded(UUID modelId, Duration timeout) {
    return status(modelId, timeout).map(Optional::isPresent);
  }

  /** What a worker that loaded the version says of it (its batching settings now), if one answers within {@code timeout}. */
  public Future<Optional<ServingStatus>> status(UUID modelId, Duration timeout) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis()).addHeader(ServingAddresses.PING_HEADER, "1");
    return this.<ServingStatus>request(ServingAddresses.predict(modelId.toString()), PredictRequest.PING, options)
        .map(reply -> Optional.of(reply.body())).otherwise(Optional.empty());
  }
}
