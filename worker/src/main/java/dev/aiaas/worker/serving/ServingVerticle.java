package dev.aiaas.worker.serving;

import ai.djl.Device;
import dev.aiaas.worker.api.BadInstances;
import dev.aiaas.worker.api.ExplainAnswer;
import dev.aiaas.worker.api.ExplainRequest;
import dev.aiaas.worker.api.PredictAnswer;
import dev.aiaas.worker.api.PredictRequest;
import dev.aiaas.worker.api.ServingAddresses;
import dev.aiaas.worker.api.ServingStatus;
import dev.aiaas.worker.api.ServingSync;
import dev.aiaas.worker.training.FieldError;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the deployed model versions on one device. It loads every version the {@code
 * deployments} table names, consumes each version's predict (and explain) address, and batches the requests
 * per version ({@link DynamicBatcher}). A version that is no longer deployed is retired a little
 * later, after its replacement is loaded, so a redeploy never leaves a gap.
 *
 * <p>Deployed as a worker-threaded verticle: encoding instances (image decoding) runs on its
 * context; forward passes run on each version's batcher thread.
 */
public final class ServingVerticle extends VerticleBase {

  /** How long a replaced version keeps serving: gateways switch routes within milliseconds of the publish. */
  static final Duration RETIRE_GRACE = Duration.ofSeconds(5);

  /** How often the deployments are re-read even without a sync message (a missed publish, a new member). */
  static final Duration RESYNC = Duration.ofSeconds(30);

  /** How long a version that failed to load (a corrupt artifact, a database hiccup) waits before the next try. */
  static final Duration RETRY_FAILED_LOAD = Duration.ofMinutes(1);

  /** At most this many instance errors are listed in one answer. */
  private static final int MAX_ERRORS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(ServingVerticle.class);

  private final Device device;
  private final Pool pool;
  private final ModelArtifacts artifacts;
  private final Map<UUID, Served> served = new HashMap<>();
  private final LoadedModels loadedModels;
  /** Versions that failed to load, with when: retried after {@link #RETRY_FAILED_LOAD}, not on every sync. */
  private final Map<UUID, Long> failedLoads = new HashMap<>();
  private Set<UUID> deployed = Set.of();
  private Future<Void> syncing = Future.succeededFuture();
  private long resync;

  private record Served(StoredModel model, ServedModel loaded, DynamicBatcher batcher, MessageConsumer<PredictRequest> consumer,
      MessageConsumer<ExplainRequest> explainer) {}

  /** A request's instances encoded, with the warnings of each instance that has some (by index). */
  private record Encoded(List<float[]> rows, Map<Integer, JsonArray> warnings) {}

  public ServingVerticle(Device device, Pool pool, ModelArtifacts artifacts) {
    this(device, pool, artifacts, new LoadedModels());
  }

  /** {@code loaded} is kept up to date with what this verticle serves, for the device's heartbeat. */
  public ServingVerticle(Device device, Pool pool, ModelArtifacts artifacts, LoadedModels loaded) {
    this.device = device;
    this.pool = pool;
    this.artifacts = artifacts;
    this.loadedModels = loaded;
  }

  @Override
  public Future<?> start() {
    MessageConsumer<ServingSync> sync = vertx.eventBus().consumer(ServingAddresses.SYNC, msg -> requestSync());
    resync = vertx.setPeriodic(RESYNC.toMillis(), id -> requestSync());
    // Loading what is deployed does not hold up the start: predictions answer "loading" until it is done.
    return sync.completion().onSuccess(v -> requestSync());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(resync);
    List<Future<Void>> retired = new ArrayList<>();
    new ArrayList<>(served.keySet()).forEach(id -> retired.add(retire(id)));
    return Future.join(retired);
  }

  /** Syncs after any sync already running, so two never interleave. */
  private void requestSync() {
    syncing = syncing.transform(ignored -> sync()).recover(failure -> {
      LOG.warn("could not sync the deployments on {}: {}", device, failure.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<Void> sync() {
    return pool.query("SELECT d.max_batch_size, d.max_batch_delay_ms, d.max_queue, " + StoredModel.COLUMNS
            + " FROM deployments d JOIN models m ON m.id = d.model_id").execute()
        .compose(rows -> {
          Map<UUID, Row> wanted = new HashMap<>();
          rows.forEach(r -> wanted.put(r.getUUID("id"), r));
          deployed = Set.copyOf(wanted.keySet());
          List<Future<Void>> loads = new ArrayList<>();
          wanted.forEach((id, row) -> {
            DynamicBatcher.Settings settings = settings(row);
            Served current = served.get(id);
            if (current != null) {
              current.batcher().update(settings);
            } else if (mayLoad(id)) {
              loads.add(load(StoredModel.from(row), settings));
            }
          });
          // Retire only after every new version is loaded: the old one serves until then.
          return Future.join(loads).transform(loaded -> {
            for (UUID id : new ArrayList<>(served.keySet())) {
              if (!deployed.contains(id)) {
                vertx.setTimer(RETIRE_GRACE.toMillis(), t -> {
                  if (!deployed.contains(id)) {
                    retire(id);
                  }
                });
              }
            }
            return artifacts.prune().recover(e -> {
              LOG.warn("could not prune the model cache on {}: {}", device, e.getMessage());
              return Future.succeededFuture();
            });
          });
        });
  }

  /** False for a version that failed to load less than {@link #RETRY_FAILED_LOAD} ago. */
  private boolean mayLoad(UUID id) {
    Long failedAt = failedLoads.get(id);
    return failedAt == null || System.nanoTime() - failedAt >= RETRY_FAILED_LOAD.toNanos();
  }

  private static DynamicBatcher.Settings settings(Row r) {
    return new DynamicBatcher.Settings(r.getInteger("max_batch_size"), Duration.ofMillis(r.getInteger("max_batch_delay_ms")),
        r.getInteger("max_queue"));
  }

  private Future<Void> load(StoredModel model, DynamicBatcher.Settings settings) {
    return artifacts.parameters(model)
        .compose(parameters -> vertx.executeBlocking(() -> model.load(parameters, device), false))
        .compose(loaded -> {
          DynamicBatcher batcher = new DynamicBatcher(model.describe() + "@" + device, settings, loaded::predict);
          MessageConsumer<PredictRequest> consumer = vertx.eventBus().consumer(ServingAddresses.predict(model.id().toString()));
          MessageConsumer<ExplainRequest> explainer = vertx.eventBus().consumer(ServingAddresses.explain(model.id().toString()));
          Served s = new Served(model, loaded, batcher, consumer, explainer);
          consumer.handler(msg -> predict(s, msg));
          explainer.handler(msg -> explain(s, msg));
          served.put(model.id(), s);
          loadedModels.add(model);
          failedLoads.remove(model.id());
          return Future.all(consumer.completion(), explainer.completion()).<Void>mapEmpty();
        })
        .onSuccess(v -> LOG.info("serving {} ({}) on {}", model.describe(), model.id(), device))
        .onFailure(e -> {
          failedLoads.put(model.id(), System.nanoTime());
          LOG.error("cannot load {} ({}) on {}: {}", model.describe(), model.id(), device, e.getMessage());
        });
  }

  /** Stops consuming first, then answers what is queued, then frees the native memory. */
  private Future<Void> retire(UUID id) {
    Served s = served.remove(id);
    loadedModels.remove(id);
    if (s == null) {
      return Future.succeededFuture();
    }
    return Future.join(s.consumer().unregister(), s.explainer().unregister())
        .transform(ignored -> Future.fromCompletionStage(s.batcher().close()))
        .eventually(() -> vertx.executeBlocking(() -> {
          s.loaded().close();
          return null;
        }, false))
        .onComplete(done -> LOG.info("retired {} ({}) on {}", s.model().describe(), id, device))
        .mapEmpty();
  }

  /** {@code relative} ("plan", "[2]", "" or such with a message after it) as a path from the request: "instances[0].plan". */
  private static String instanceField(int index, String relative) {
    return "instances[" + index + "]" + (relative.isEmpty() || relative.startsWith("[") ? relative : "." + relative);
  }

  private void predict(Served s, Message<PredictRequest> msg) {
    if (msg.headers().contains(ServingAddresses.PING_HEADER)) {
      DynamicBatcher.Settings settings = s.batcher().settings();
      msg.reply(new ServingStatus(device.toString(), settings.maxBatchSize(), settings.maxDelay().toMillis(), settings.maxQueue()));
      return;
    }
    Encoded encoded = encode(s, msg.body().instances(), msg);
    if (encoded == null) {
      return;
    }
    s.batcher().submit(encoded.rows()).whenComplete((batched, failure) -> {
      if (failure == null) {
        JsonArray predictions = new JsonArray();
        for (int i = 0; i < batched.predictions().size(); i++) {
          predictions.add(withWarnings(batched.predictions().get(i).toJson(), encoded.warnings().get(i)));
        }
        msg.reply(new PredictAnswer(predictions, s.model().version(), batched.batchSize()));
      } else {
        fail(s, msg, failure, "the forward pass failed");
      }
    });
  }

  /** Explanations queue with the version's predictions and run alone on its batcher thread, in their turn. */
  private void explain(Served s, Message<ExplainRequest> msg) {
    Encoded encoded = encode(s, msg.body().instances(), msg);
    if (encoded == null) {
      return;
    }
    int steps = msg.body().steps();
    s.batcher().submitAlone(encoded.rows().size(), () -> s.loaded().explain(encoded.rows(), steps))
        .whenComplete((explained, failure) -> {
          if (failure == null) {
            JsonArray explanations = new JsonArray();
            for (int i = 0; i < explained.explanations().size(); i++) {
              JsonObject e = explained.explanations().get(i);
              withWarnings(e.getJsonObject("prediction"), encoded.warnings().get(i));
              explanations.add(e);
            }
            msg.reply(new ExplainAnswer(explained.method(), explained.steps(), explanations, s.model().version()));
          } else {
            fail(s, msg, failure, "the gradient pass failed");
          }
        });
  }

  private static JsonObject withWarnings(JsonObject prediction, JsonArray warnings) {
    return warnings == null ? prediction : prediction.put("warnings", warnings);
  }

  private void fail(Served s, Message<?> msg, Throwable failure, String what) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof DynamicBatcher.OverloadedException) {
      msg.fail(ServingAddresses.OVERLOADED, cause.getMessage());
    } else if (cause instanceof DynamicBatcher.RetiredException) {
      msg.fail(ServingAddresses.RETIRING, cause.getMessage());
    } else {
      LOG.error("{} of {}", what, s.model().describe(), cause);
      msg.fail(ServingAddresses.FAILED, what);
    }
  }

  /** Encodes every instance, or fails {@code msg} (naming the bad instances) and answers null. */
  private Encoded encode(Served s, JsonArray instances, Message<?> msg) {
    List<float[]> rows = new ArrayList<>(instances.size());
    List<FieldError> errors = new ArrayList<>();
    Map<Integer, JsonArray> warnings = new HashMap<>();
    for (int i = 0; i < instances.size(); i++) {
      List<String> instanceWarnings = new ArrayList<>();
      try {
        rows.add(s.loaded().encode(instances.getValue(i), instanceWarnings));
        if (!instanceWarnings.isEmpty()) {
          JsonArray named = new JsonArray();
          for (String w : instanceWarnings) {
            named.add(instanceField(i, w));
          }
          warnings.put(i, named);
        }
      } catch (BadInstanceException e) {
        if (errors.size() < MAX_ERRORS) {
          errors.add(new FieldError(instanceField(i, e.field()), e.getMessage()));
        }
      } catch (RuntimeException e) {
        // A bug, not bad input: answer at once rather than leave the gateway waiting for its timeout.
        LOG.error("encoding instance {} for {} failed", i, s.model().describe(), e);
        msg.fail(ServingAddresses.FAILED, "the instances could not be encoded");
        return null;
      }
    }
    if (!errors.isEmpty()) {
      msg.fail(ServingAddresses.BAD_INSTANCES, new BadInstances(errors).toFailureMessage());
      return null;
    }
    return new Encoded(rows, warnings);
  }
}
