package dev.aiaas.gateway.alerts;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Clock;

/** Sends one signed webhook attempt: checks the target again, then one POST, non-blocking. */
final class WebhookSender {

  static final String DELIVERY_HEADER = "X-Aiaas-Delivery";

  /** What one attempt came to: a status when the receiver answered, else an error. */
  record Outcome(boolean delivered, Integer status, String error) {}

  private final HttpClient http;
  private final WebhookTargets targets;
  private final AlertTiming timing;
  private final Clock clock;

  WebhookSender(HttpClient http, WebhookTargets targets, AlertTiming timing, Clock clock) {
    this.http = http;
    this.targets = targets;
    this.timing = timing;
    this.clock = clock;
  }

  Future<Outcome> send(AlertStore.DueDelivery delivery) {
    return targets.check(delivery.url())
        .compose(target -> post(target, delivery))
        .recover(failure -> Future.succeededFuture(new Outcome(false, null, describe(failure))));
  }

  private Future<Outcome> post(WebhookTargets.Target target, AlertStore.DueDelivery delivery) {
    String path = target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty() ? "/" : target.uri().getRawPath();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setURI(target.uri().getRawQuery() == null ? path : path + "?" + target.uri().getRawQuery())
        .setConnectTimeout(timing.requestTimeout().toMillis())
        .setIdleTimeout(timing.requestTimeout().toMillis())
        // A public URL must not bounce a delivery into a private network.
        .setFollowRedirects(false)
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "aiaas-webhooks")
        .putHeader(DELIVERY_HEADER, delivery.id().toString())
        .putHeader(WebhookSignature.HEADER, WebhookSignature.header(delivery.secret(), clock.instant().getEpochSecond(), delivery.payload()));
    // Connect to the address that was checked, not to whatever the name resolves to a moment later;
    // the Host header and TLS name stay the URL's host.
    target.address().ifPresent(address -> options.setServer(SocketAddress.inetSocketAddress(target.port(), address)));
    return http.request(options)
        .compose(request -> request.send(Buffer.buffer(delivery.payload())))
        .compose(response -> response.body().transform(ignored -> Future.succeededFuture(response.statusCode())))
        .map(status -> status >= 200 && status < 300
            ? new Outcome(true, status, null)
            : new Outcome(false, status, "the receiver answered " + status));
  }

  private static String describe(Throwable failure) {
    if (failure instanceof WebhookTargets.Refused refused) {
      return "webhook_url " + refused.getMessage();
    }
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return message.length() > 500 ? message.substring(0, 500) : message;
  }
}
