package dev.aiaas.gateway.tuning;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import dev.aiaas.worker.api.TrainingAddresses;
import dev.aiaas.worker.api.TrainingFinished;
import dev.aiaas.worker.api.TrainingProgress;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** {@code /v1/tuning-jobs}: submit, list, detail, cancel, and the trial progress event stream. */
public final class TuningRoutes {

  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

  private final TuningService tuning;

  public TuningRoutes(TuningService tuning) {
    this.tuning = tuning;
  }

  public void register(Operations operations) {
    operations
        .handle("createTuningJob", Access.requires(Permission.TRAIN),
            ctx -> tuning.submit(Principals.of(ctx).tenant(), ctx.body().asJsonObject()).map(Reply::accepted))
        .handle("listTuningJobs", Access.requires(Permission.READ), ctx -> tuning.list(Principals.of(ctx).tenant()).map(Reply::list))
        .handle("getTuningJob", Access.requires(Permission.READ), ctx -> tuning.get(Principals.of(ctx).tenant(), id(ctx)).map(Reply::ok))
        .handle("cancelTuningJob", Access.requires(Permission.TRAIN),
            ctx -> tuning.cancel(Principals.of(ctx).tenant(), id(ctx)).map(Reply::ok))
        .raw("streamTuningJob", Access.requires(Permission.READ), this::events);
  }

  /**
   * Server-Sent Events: a {@code trial} event for each trial as it is and whenever its state
   * changes, a {@code progress} event for each epoch a trial reports, then one {@code completed},
   * {@code failed} or {@code cancelled} event carrying the tuning job, and the stream ends.
   */
  private void events(RoutingContext ctx) {
    UUID tenant = Principals.of(ctx).tenant();
    UUID jobId = id(ctx);
    tuning.get(tenant, jobId).onFailure(ctx::fail).onSuccess(first -> {
      HttpServerResponse response = ctx.response().setChunked(true)
          .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-store");
      // Which trial each training job is, and the state last sent for it.
      Map<String, Integer> trialOf = new HashMap<>();
      Map<Integer, String> sentState = new HashMap<>();
      Runnable refresh = () -> tuning.get(tenant, jobId).onSuccess(job -> send(response, job, trialOf, sentState));
      MessageConsumer<TrainingProgress> progress = ctx.vertx().eventBus().consumer(TrainingAddresses.PROGRESS, msg -> {
        Integer trial = trialOf.get(msg.body().jobId().toString());
        if (trial != null && !response.ended()) {
          response.write("event: progress\ndata: " + msg.body().report().toJson().put("trial", trial).encode() + "\n\n");
        }
      });
      MessageConsumer<String> changed = ctx.vertx().eventBus().consumer(TuningScheduler.CHANGED, msg -> {
        if (msg.body().equals(jobId.toString())) {
          refresh.run();
        }
      });
      MessageConsumer<TrainingFinished> finished = ctx.vertx().eventBus().consumer(TrainingAddresses.FINISHED, msg -> {
        if (trialOf.containsKey(msg.body().jobId().toString())) {
          refresh.run();
        }
      });
      Runnable close = () -> {
        progress.unregister();
        changed.unregister();
        finished.unregister();
      };
      response.closeHandler(v -> close.run());
      response.endHandler(v -> close.run());
      // Subscribed first, then the current state: a change in between is sent, never lost.
      refresh.run();
    });
  }

  private static void send(HttpServerResponse response, JsonObject job, Map<String, Integer> trialOf, Map<Integer, String> sentState) {
    if (response.ended()) {
      return;
    }
    job.getJsonArray("trials").forEach(t -> {
      JsonObject trial = (JsonObject) t;
      int index = trial.getInteger("trial");
      trialOf.put(trial.getString("training_job_id"), index);
      if (!trial.getString("state").equals(sentState.put(index, trial.getString("state")))) {
        response.write("event: trial\ndata: " + trial.encode() + "\n\n");
      }
    });
    if (TERMINAL.contains(job.getString("state"))) {
      String event = switch (job.getString("state")) {
        case "succeeded" -> "completed";
        case "cancelled" -> "cancelled";
        default -> "failed";
      };
      response.end("event: " + event + "\ndata: " + job.encode() + "\n\n");
    }
  }

  private static UUID id(RoutingContext ctx) {
    return UUID.fromString(ctx.pathParam("id"));
  }
}
