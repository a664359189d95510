package dev.aiaas.gateway.billing;

import dev.aiaas.gateway.audit.AuditEvent;
import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Invoices: live drafts computed from rollups and plan history, period close (stores every
 * tenant's final invoice, once), and operator adjustments on drafts.
 */
public final class BillingService {

  private final Pool pool;
  private final InvoiceStore store;
  private final AuditLog audit;
  private final Clock clock;

  public BillingService(Pool pool, InvoiceStore store, AuditLog audit, Clock clock) {
    this.pool = pool;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  /** A tenant's invoice of {@code period}: the stored final one, else the live draft; empty if there is none. */
  public Future<Optional<Invoice>> invoice(UUID tenantId, BillingPeriod period) {
    Instant now = clock.instant();
    if (period.start().isAfter(now)) {
      return Future.succeededFuture(Optional.empty());
    }
    return invoice(pool, tenantId, period, now);
  }

  /** The current draft, the previous period's invoice (draft until closed) and every final invoice, newest first. */
  public Future<List<Invoice>> invoices(UUID tenantId) {
    BillingPeriod current = BillingPeriod.containing(clock.instant());
    return Future.all(store.finalInvoices(pool, tenantId), invoice(tenantId, current), invoice(tenantId, current.previous()))
        .map(all -> {
          List<Invoice> invoices = new ArrayList<>(all.<List<Invoice>>resultAt(0));
          for (int i = 1; i <= 2; i++) {
            all.<Optional<Invoice>>resultAt(i).filter(inv -> inv.status().equals(Invoice.DRAFT)).ifPresent(invoices::add);
          }
          invoices.sort(Comparator.comparing(Invoice::period).reversed());
          return invoices;
        });
  }

  /**
   * Finalizes every tenant's invoice of an ended period, in one transaction; closing a closed
   * period again answers the invoices stored the first time.
   */
  public Future<JsonObject> close(BillingPeriod period, Optional<UUID> by, AuditEvent event) {
    Instant now = clock.instant();
    if (!period.endedBy(now)) {
      return Future.failedFuture(ApiException.conflict("period-open",
          "period " + period + " has not ended yet (it ends at " + period.end() + "); only ended periods can be closed"));
    }
    return pool.withTransaction(tx -> store.lock(tx)
        .compose(v -> store.closedAt(tx, period))
        .compose(closed -> closed.isPresent() ? summary(tx, period, closed.get())
            : store.tenants(tx, period)
                .compose(tenants -> {
                  Future<Void> chain = Future.succeededFuture();
                  for (InvoiceStore.BilledTenant tenant : tenants) {
                    chain = chain.compose(v -> invoice(tx, tenant.id(), period, now)).compose(draft -> draft
                        .map(d -> store.storeFinal(tx, new Invoice(d.id(), d.tenantId(), period, Invoice.FINAL, d.currency(), d.lines(),
                            Optional.of(now))))
                        .orElse(Future.succeededFuture()));
                  }
                  return chain;
                })
                .compose(v -> store.markClosed(tx, period, by))
                .compose(v -> audit.record(tx, event.target("billing-period:" + period)))
                .compose(v -> store.closedAt(tx, period))
                .compose(closedAt -> summary(tx, period, closedAt.orElseThrow()))));
  }

  /** Adds a credit (negative amount) or adjustment line to a tenant's draft; 409 once the period is closed. */
  public Future<Invoice> adjust(UUID tenantId, BillingPeriod period, BigDecimal amount, String reason, Optional<UUID> by, AuditEvent event) {
    Instant now = clock.instant();
    if (period.start().isAfter(now)) {
      return Future.failedFuture(ApiException.badRequest("validation-failed", "period: " + period + " has not started"));
    }
    if (amount.scale() > Money.SCALE) {
      return Future.failedFuture(ApiException.badRequest("validation-failed", "amount: at most " + Money.SCALE + " decimals"));
    }
    return pool.withTransaction(tx -> store.lock(tx)
            .compose(v -> store.closedAt(tx, period))
            .compose(closed -> {
              if (closed.isPresent()) {
                throw ApiException.conflict("invoice-final", "period " + period + " is closed; its invoices never change");
              }
              return store.planHistory(tx, tenantId, period.start(), period.end());
            })
            .compose(spans -> {
              List<PlanSegment> segments = segments(spans, period);
              if (segments.isEmpty()) {
                throw ApiException.notFound("no invoice of tenant " + tenantId + " for " + period);
              }
              return store.addAdjustment(tx, tenantId, period, segments.get(segments.size() - 1).plan().currency(), amount, reason, by);
            })
            .compose(position -> {
              if (position.isEmpty()) {
                throw ApiException.conflict("invoice-final", "the invoice of " + period + " is final");
              }
              return audit.record(tx, event.tenant(tenantId).target("invoice:" + Invoice.idOf(tenantId, period))
                  .detail("period", period.toString()).detail("amount", Money.format(amount)).detail("reason", reason));
            }))
        .compose(v -> invoice(tenantId, period))
        .map(Optional::orElseThrow);
  }

  /**
   * Every period from the first tenant's start to the current one, newest first, with its state
   * ({@code open}, {@code ended} (closable), {@code closed}) and its totals per currency: the final
   * invoices' of a closed period, else the live drafts' (one invoice computation per tenant).
   */
  public Future<List<JsonObject>> periods() {
    Instant now = clock.instant();
    BillingPeriod current = BillingPeriod.containing(now);
    return Future.all(store.firstPlanStart(pool), store.closings(pool)).compose(both -> {
      Optional<Instant> first = both.resultAt(0);
      Map<BillingPeriod, Instant> closings = both.resultAt(1);
      TreeSet<BillingPeriod> periods = new TreeSet<>(closings.keySet());
      first.ifPresent(start -> {
        for (BillingPeriod p = BillingPeriod.containing(start); p.compareTo(current) <= 0; p = p.next()) {
          periods.add(p);
        }
      });
      List<Future<JsonObject>> rows = new ArrayList<>();
      for (BillingPeriod period : periods.descendingSet()) {
        Optional<Instant> closedAt = Optional.ofNullable(closings.get(period));
        String state = closedAt.isPresent() ? "closed" : period.endedBy(now) ? "ended" : "open";
        Future<List<Map.Entry<String, BigDecimal>>> invoices = closedAt.isPresent()
            ? store.periodInvoices(pool, period).map(list -> list.stream()
                .map(j -> Map.entry(j.getString("currency"), new BigDecimal(j.getString("total")))).toList())
            : drafts(period, now).map(list -> list.stream().map(inv -> Map.entry(inv.currency(), inv.total())).toList());
        rows.add(invoices.map(list -> periodJson(period, state, closedAt, list)));
      }
      return Future.all(rows).map(all -> all.<JsonObject>list());
    });
  }

  private Future<List<Invoice>> drafts(BillingPeriod period, Instant now) {
    return store.tenants(pool, period).compose(tenants -> {
      List<Future<Optional<Invoice>>> drafts = new ArrayList<>();
      for (InvoiceStore.BilledTenant tenant : tenants) {
        drafts.add(invoice(pool, tenant.id(), period, now));
      }
      return Future.all(drafts).map(all -> all.<Optional<Invoice>>list().stream().flatMap(Optional::stream).toList());
    });
  }

  /** A period's listing; {@code invoices} holds each invoice's currency and total. */
  private static JsonObject periodJson(BillingPeriod period, String state, Optional<Instant> closedAt,
      List<Map.Entry<String, BigDecimal>> invoices) {
    Map<String, BigDecimal> totals = new java.util.TreeMap<>();
    invoices.forEach(inv -> totals.merge(inv.getKey(), inv.getValue(), BigDecimal::add));
    JsonArray byCurrency = new JsonArray();
    totals.forEach((currency, total) -> byCurrency.add(new JsonObject().put("currency", currency).put("total", Money.format(total))));
    return new JsonObject()
        .put("period", period.toString())
        .put("state", state)
        .put("start", period.start().toString())
        .put("end", period.end().toString())
        .put("closed_at", closedAt.map(Instant::toString).orElse(null))
        .put("invoice_status", state.equals("closed") ? Invoice.FINAL : Invoice.DRAFT)
        .put("invoices", invoices.size())
        .put("totals", byCurrency);
  }

  private Future<JsonObject> summary(SqlClient client, BillingPeriod period, Instant closedAt) {
    return store.periodInvoices(client, period).map(invoices -> new JsonObject()
        .put("period", period.toString())
        .put("status", "closed")
        .put("closed_at", closedAt.toString())
        .put("invoices", new JsonArray(new ArrayList<>(invoices))));
  }

  Future<Optional<Invoice>> invoice(SqlClient client, UUID tenantId, BillingPeriod period, Instant now) {
    return store.invoice(client, tenantId, period).compose(stored -> {
      if (stored.isPresent() && stored.get().status().equals(Invoice.FINAL)) {
        return Future.succeededFuture(stored);
      }
      List<InvoiceLine> adjustments = stored.map(Invoice::lines).orElse(List.of());
      return store.closedAt(client, period).compose(closed -> closed.isPresent() ? Future.succeededFuture(Optional.<Invoice>empty())
          : draft(client, tenantId, period, now, adjustments));
    });
  }

  private Future<Optional<Invoice>> draft(SqlClient client, UUID tenantId, BillingPeriod period, Instant now, List<InvoiceLine> adjustments) {
    return store.planHistory(client, tenantId, period.start(), period.end()).compose(spans -> {
      List<PlanSegment> segments = segments(spans, period);
      if (segments.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      String currency = segments.get(segments.size() - 1).plan().currency();
      return Future.all(segmentUsage(client, tenantId, period, segments, Optional.of(now)), store.closedPeriods(client),
              store.creditsCarriedTo(client, tenantId, period))
          .compose(all -> {
            TreeSet<BillingPeriod> closed = all.resultAt(1);
            return lateSources(client, tenantId, period, closed).map(late -> {
              List<InvoiceLine> lines = new ArrayList<>(InvoiceCalculator.lines(period, all.resultAt(0), late));
              lines.addAll(adjustments);
              List<InvoiceLine> settled = InvoiceCalculator.settle(lines, currency, all.resultAt(2),
                  InvoiceCalculator.carryTarget(closed, period));
              return Optional.of(new Invoice(Invoice.idOf(tenantId, period), tenantId, period, Invoice.DRAFT, currency, settled,
                  Optional.empty()));
            });
          });
    });
  }

  /** The plan segments of a period from the plan history: each span clipped to the period. */
  static List<PlanSegment> segments(List<InvoiceStore.PlanSpan> spans, BillingPeriod period) {
    List<PlanSegment> segments = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      Instant from = max(spans.get(i).validFrom(), period.start());
      Instant to = i + 1 < spans.size() ? min(spans.get(i + 1).validFrom(), period.end()) : period.end();
      if (from.isBefore(to)) {
        segments.add(new PlanSegment(spans.get(i).plan(), from, to));
      }
    }
    return segments;
  }

  /**
   * Usage per segment. The first segment also takes usage from the period's start and the last
   * up to its end, so no usage falls between segments. Storage is integrated up to
   * {@code storageUntil} (now, for a draft); without it (late usage) storage is left out, since
   * samples are never late.
   */
  private Future<List<InvoiceCalculator.SegmentUsage>> segmentUsage(SqlClient client, UUID tenantId, BillingPeriod period,
      List<PlanSegment> segments, Optional<Instant> storageUntil) {
    List<Future<InvoiceCalculator.SegmentUsage>> parts = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      PlanSegment segment = segments.get(i);
      Instant from = i == 0 ? period.start() : segment.from();
      Instant to = i == segments.size() - 1 ? period.end() : segment.to();
      Future<Map<String, BigDecimal>> usage = store.usage(client, tenantId, from, to);
      Future<BigDecimal> storage = storageUntil
          .map(until -> store.storageByteSeconds(client, tenantId, segment.from(), min(segment.to(), until)))
          .orElse(Future.succeededFuture(BigDecimal.ZERO));
      parts.add(Future.all(usage, storage).map(both -> {
        Map<String, BigDecimal> quantities = new HashMap<>(both.<Map<String, BigDecimal>>resultAt(0));
        quantities.remove("storage_bytes");
        BigDecimal gbMonths = InvoiceCalculator.gbMonths(both.resultAt(1), period);
        if (gbMonths.signum() > 0) {
          quantities.put("storage_gb_months", gbMonths);
        }
        return new InvoiceCalculator.SegmentUsage(segment, Map.copyOf(quantities));
      }));
    }
    return Future.all(parts).map(all -> all.<InvoiceCalculator.SegmentUsage>list());
  }

  /**
   * Late usage billed by {@code period}: for each closed period right before it (the run of
   * closed periods up to the first open one), what its rollups now hold beyond what was billed.
   */
  private Future<List<InvoiceCalculator.LateSource>> lateSources(SqlClient client, UUID tenantId, BillingPeriod period,
      TreeSet<BillingPeriod> closed) {
    Deque<BillingPeriod> run = closedRunBefore(closed, period);
    List<Future<Optional<InvoiceCalculator.LateSource>>> sources = new ArrayList<>();
    for (BillingPeriod source : run) {
      sources.add(lateSource(client, tenantId, source));
    }
    return Future.all(sources).map(all -> all.<Optional<InvoiceCalculator.LateSource>>list().stream()
        .flatMap(Optional::stream).toList());
  }

  static Deque<BillingPeriod> closedRunBefore(TreeSet<BillingPeriod> closed, BillingPeriod period) {
    Deque<BillingPeriod> run = new ArrayDeque<>();
    for (BillingPeriod p = period.previous(); closed.contains(p); p = p.previous()) {
      run.addFirst(p);
    }
    return run;
  }

  private Future<Optional<InvoiceCalculator.LateSource>> lateSource(SqlClient client, UUID tenantId, BillingPeriod source) {
    return store.planHistory(client, tenantId, source.start(), source.end()).compose(spans -> {
      List<PlanSegment> segments = segments(spans, source);
      if (segments.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      return Future.all(segmentUsage(client, tenantId, source, segments, Optional.empty()), store.billed(client, tenantId, source))
          .map(both -> {
            List<InvoiceCalculator.SegmentUsage> usage = both.resultAt(0);
            Map<String, Map<java.time.Instant, BigDecimal>> billed = both.resultAt(1);
            Map<String, BigDecimal> billedTotals = new HashMap<>();
            billed.forEach((metric, bySegment) -> billedTotals.put(metric,
                bySegment.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)));
            List<InvoiceCalculator.SegmentUsage> unbilled = new ArrayList<>();
            for (InvoiceCalculator.SegmentUsage s : usage) {
              Map<String, BigDecimal> rest = new HashMap<>();
              s.quantities().forEach((metric, quantity) -> {
                BigDecimal already = billed.getOrDefault(metric, Map.of()).getOrDefault(s.segment().from(), BigDecimal.ZERO);
                BigDecimal late = quantity.subtract(already);
                if (late.signum() > 0) {
                  rest.put(metric, late);
                }
              });
              unbilled.add(new InvoiceCalculator.SegmentUsage(s.segment(), Map.copyOf(rest)));
            }
            return Optional.of(new InvoiceCalculator.LateSource(source, Map.copyOf(billedTotals), List.copyOf(unbilled)));
          });
    });
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
