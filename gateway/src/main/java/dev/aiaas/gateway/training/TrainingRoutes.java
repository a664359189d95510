package dev.aiaas.gateway.training;

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
import java.util.Set;
import java.util.UUID;

/** {@code /v1/training-jobs}: submit, list, detail, cancel, and the progress event stream. */
public final class TrainingRoutes {

  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

  private final TrainingService training;

  public TrainingRoutes(TrainingService training) {
    this.training = training;
  }

  public void register(Operations operations) {
    operations
        .handle("createTrainingJob", Access.requires(Permission.TRAIN),
            ctx -> training.submit(Principals.of(ctx).tenant(), ctx.body().asJsonObject()).map(Reply::accepted))
        .handle("listTrainingJobs", Access.requires(Permission.READ), ctx -> training.list(Principals.of(ctx).tenant())
            .map(Reply::list))
        .handle("getTrainingJob", Access.requires(Permission.READ), ctx -> training.get(Principals.of(ctx).tenant(), id(ctx)).map(Reply::ok))
        .handle("cancelTrainingJob", Access.requires(Permission.TRAIN),
            ctx -> training.cancel(Principals.of(ctx).tenant(), id(ctx)).map(Reply::ok))
        .raw("streamTrainingJob", Access.requires(Permission.READ), this::events);
  }

  /**
   * Server-Sent Events: the epochs so far, then each new one as it is reported, then one
   * {@code completed}, {@code failed} or {@code cancelled} event, and the stream ends.
   */
  private void events(RoutingContext ctx) {
    UUID jobId = id(ctx);
    training.get(Principals.of(ctx).tenant(), jobId).onFailure(ctx::fail).onSuccess(job -> {
      HttpServerResponse response = ctx.response().setChunked(true)
          .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-store");
      // Subscribe first, then replay what is stored: an epoch reported in between is sent twice, never lost.
      java.util.Set<Integer> sent = new java.util.HashSet<>();
      MessageConsumer<TrainingProgress> progress = ctx.vertx().eventBus().consumer(TrainingAddresses.PROGRESS, msg -> {
        if (msg.body().jobId().equals(jobId)) {
          sendEpoch(response, sent, msg.body().report().toJson());
        }
      });
      MessageConsumer<TrainingFinished> finished = ctx.vertx().eventBus().consumer(TrainingAddresses.FINISHED);
      Runnable close = () -> {
        progress.unregister();
        finished.unregister();
      };
      finished.handler(msg -> {
        if (msg.body().jobId().equals(jobId)) {
          training.get(Principals.of(ctx).tenant(), jobId).onComplete(latest -> {
            end(response, latest.succeeded() ? latest.result() : job.put("state", msg.body().state().wire()));
            close.run();
          });
        }
      });
      response.closeHandler(v -> close.run());
      training.epochs(jobId).onSuccess(epochs -> {
        epochs.forEach(e -> sendEpoch(response, sent, (JsonObject) e));
        training.get(Principals.of(ctx).tenant(), jobId).onSuccess(current -> {
          if (TERMINAL.contains(current.getString("state"))) {
            end(response, current);
            close.run();
          }
        });
      });
    });
  }

  private static void sendEpoch(HttpServerResponse response, java.util.Set<Integer> sent, JsonObject report) {
    if (!response.ended() && sent.add(report.getInteger("epoch"))) {
      response.write("event: progress\ndata: " + report.encode() + "\n\n");
    }
  }

  private static void end(HttpServerResponse response, JsonObject job) {
    if (response.ended()) {
      return;
    }
    String event = switch (job.getString("state")) {
      case "succeeded" -> "completed";
      case "cancelled" -> "cancelled";
      default -> "failed";
    };
    response.end("event: " + event + "\ndata: " + job.encode() + "\n\n");
  }

  private static UUID id(RoutingContext ctx) {
    return UUID.fromString(ctx.pathParam("id"));
  }
}
