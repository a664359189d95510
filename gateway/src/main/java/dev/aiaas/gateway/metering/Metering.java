package dev.aiaas.gateway.metering;

import dev.aiaas.gateway.auth.Principal;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.auth.Tenants;
import dev.aiaas.gateway.http.ReplyHooks;
import dev.aiaas.gateway.quota.QuotaLedger;
import dev.aiaas.gateway.tenants.Tenant;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The quota and metering step of the request chain. Before the handler: an API-key call holds
 * one unit of its tenant's {@code api_calls} quota (429 when used up). After the handler answered
 * with success: the call's usage (the API call, plus whatever the handler added, e.g.
 * predictions) is made durable in one write (one recorder entry, so always the same statement),
 * and only then is the answer sent; if it cannot be recorded the
 * client gets 503 instead, never an unmetered success. Held quota is released if the call fails.
 */
public final class Metering implements Handler<RoutingContext> {

  private static final String EXTRA = "aiaas.metering.extra";
  private static final String HELD = "aiaas.metering.held";

  private final QuotaLedger quotas;
  private final UsageRecorder recorder;
  private final Clock clock;

  public Metering(QuotaLedger quotas, UsageRecorder recorder, Clock clock) {
    this.quotas = quotas;
    this.recorder = recorder;
    this.clock = clock;
  }

  /** Usage a handler adds to its call (e.g. predictions of a model), recorded with the call. */
  public static void add(RoutingContext ctx, Metric metric, BigDecimal quantity, Optional<String> model) {
    List<Extra> extras = ctx.get(EXTRA);
    if (extras == null) {
      extras = new ArrayList<>();
      ctx.put(EXTRA, extras);
    }
    extras.add(new Extra(metric, quantity, model));
  }

  /** Quota a handler reserved for its call: kept once the usage is durable, released otherwise. */
  public static void hold(RoutingContext ctx, QuotaLedger.Reservation reservation) {
    List<QuotaLedger.Reservation> held = ctx.get(HELD);
    if (held == null) {
      held = new ArrayList<>();
      ctx.put(HELD, held);
      List<QuotaLedger.Reservation> all = held;
      ctx.addEndHandler(ended -> {
        all.forEach(QuotaLedger.Reservation::release);
        all.clear();
      });
    }
    held.add(reservation);
  }

  private record Extra(Metric metric, BigDecimal quantity, Optional<String> model) {}

  @Override
  public void handle(RoutingContext ctx) {
    Optional<Tenant> tenant = Tenants.of(ctx);
    if (tenant.isEmpty()) {
      ctx.next();
      return;
    }
    Principal principal = Principals.of(ctx);
    ReplyHooks.add(ctx, reply -> recorder.record(events(ctx, tenant.get(), principal)).map(done -> {
      List<QuotaLedger.Reservation> held = ctx.get(HELD);
      if (held != null) {
        held.clear(); // durable: the units are spent
      }
      return reply;
    }));
    if (principal.kind() != Principal.Kind.API_KEY) {
      ctx.next();
      return;
    }
    quotas.reserve(tenant.get(), Metric.API_CALLS, 1).onSuccess(reservation -> {
      hold(ctx, reservation);
      ctx.next();
    }).onFailure(ctx::fail);
  }

  private List<UsageEvent> events(RoutingContext ctx, Tenant tenant, Principal principal) {
    List<UsageEvent> events = new ArrayList<>();
    Optional<java.util.UUID> key = principal.kind() == Principal.Kind.API_KEY ? Optional.of(principal.id()) : Optional.empty();
    if (key.isPresent()) {
      events.add(UsageEvent.of(tenant.id(), Metric.API_CALLS, BigDecimal.ONE, clock.instant(), key, Optional.empty()));
    }
    List<Extra> extras = ctx.get(EXTRA);
    if (extras != null) {
      for (Extra e : extras) {
        events.add(UsageEvent.of(tenant.id(), e.metric(), e.quantity(), clock.instant(), key, e.model()));
      }
    }
    return events;
  }
}
