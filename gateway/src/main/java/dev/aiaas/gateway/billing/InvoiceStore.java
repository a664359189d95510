package dev.aiaas.gateway.billing;

import dev.aiaas.gateway.plans.Plan;
import dev.aiaas.gateway.plans.PlanRows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * SQL for billing: plan history, usage per plan segment (from the hourly rollup), storage
 * integrals, closed periods, and stored invoices. Every method takes the client to run on, so a
 * period close reads and writes in one transaction.
 */
public final class InvoiceStore {

  /** One billing-wide lock: closing a period and adjusting a draft never interleave. */
  private static final long BILLING_LOCK = 0x6169616173L;

  /** A plan history entry: {@code plan} from {@code validFrom} on. */
  public record PlanSpan(Instant validFrom, Plan plan) {}

  /** A tenant to bill. */
  public record BilledTenant(UUID id, String name) {}

  public Future<Void> lock(SqlClient client) {
    return client.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(BILLING_LOCK)).mapEmpty();
  }

  /** The plans a tenant was on during {@code [from, to)}: the one in force at {@code from}, then every later change. */
  public Future<List<PlanSpan>> planHistory(SqlClient client, UUID tenantId, Instant from, Instant to) {
    return client.preparedQuery("SELECT h.valid_from, " + PlanRows.columns("p") + """
             FROM tenant_plan_history h JOIN plans p ON p.id = h.plan_id
            WHERE h.tenant_id = $1 AND h.valid_from < $3
              AND h.valid_from >= coalesce((SELECT max(valid_from) FROM tenant_plan_history
                                             WHERE tenant_id = $1 AND valid_from <= $2), '-infinity')
            ORDER BY h.valid_from""")
        .execute(Tuple.of(tenantId, utc(from), utc(to)))
        .map(rows -> {
          List<PlanSpan> spans = new ArrayList<>();
          rows.forEach(r -> spans.add(new PlanSpan(r.getOffsetDateTime("valid_from").toInstant(), PlanRows.plan(r))));
          return spans;
        });
  }

  /**
   * A tenant's usage per metric during {@code [from, to)}: whole hours from the hourly rollup,
   * the partial hours at either edge (a plan change mid-hour) from the raw events.
   */
  public Future<Map<String, BigDecimal>> usage(SqlClient client, UUID tenantId, Instant from, Instant to) {
    Instant firstHour = from.truncatedTo(ChronoUnit.HOURS).equals(from) ? from : from.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    Instant lastHour = to.truncatedTo(ChronoUnit.HOURS);
    Instant[] rawBefore;
    Instant[] rawAfter;
    Instant[] hourly;
    if (!firstHour.isBefore(lastHour)) {
      rawBefore = new Instant[] {from, to};
      rawAfter = new Instant[] {to, to};
      hourly = new Instant[] {to, to};
    } else {
      rawBefore = new Instant[] {from, firstHour};
      rawAfter = new Instant[] {lastHour, to};
      hourly = new Instant[] {firstHour, lastHour};
    }
    return client.preparedQuery("""
            SELECT metric, sum(quantity) AS quantity FROM (
              SELECT metric, quantity FROM usage_hourly
               WHERE tenant_id = $1 AND bucket_start >= $2 AND bucket_start < $3
              UNION ALL
              SELECT metric, quantity FROM usage_events
               WHERE tenant_id = $1 AND ((occurred_at >= $4 AND occurred_at < $5) OR (occurred_at >= $6 AND occurred_at < $7))
            ) u GROUP BY metric""")
        .execute(Tuple.from(new Object[] {tenantId, utc(hourly[0]), utc(hourly[1]), utc(rawBefore[0]), utc(rawBefore[1]),
            utc(rawAfter[0]), utc(rawAfter[1])}))
        .map(rows -> {
          Map<String, BigDecimal> totals = new HashMap<>();
          rows.forEach(r -> totals.put(r.getString("metric"), r.getBigDecimal("quantity")));
          return totals;
        });
  }

  /**
   * Byte-seconds stored during {@code [from, to)}: each sample holds until the next one; the last
   * sample before {@code from} holds at {@code from}; no sample means nothing stored.
   */
  public Future<BigDecimal> storageByteSeconds(SqlClient client, UUID tenantId, Instant from, Instant to) {
    if (!from.isBefore(to)) {
      return Future.succeededFuture(BigDecimal.ZERO);
    }
    return client.preparedQuery("""
            WITH s AS (
              (SELECT $2::timestamptz AS sampled_at, bytes, 0 AS ord FROM storage_samples
                WHERE tenant_id = $1 AND sampled_at < $2 ORDER BY sampled_at DESC LIMIT 1)
              UNION ALL
              SELECT sampled_at, bytes, 1 FROM storage_samples WHERE tenant_id = $1 AND sampled_at >= $2 AND sampled_at < $3
            ), held AS (
              SELECT bytes, coalesce(lead(sampled_at) OVER (ORDER BY sampled_at, ord), $3) - sampled_at AS span FROM s
            )
            SELECT coalesce(sum(bytes::numeric * extract(epoch FROM span)), 0) FROM held""")
        .execute(Tuple.of(tenantId, utc(from), utc(to)))
        .map(rows -> rows.iterator().next().getBigDecimal(0));
  }

  /** Every closed period. */
  public Future<TreeSet<BillingPeriod>> closedPeriods(SqlClient client) {
    return client.query("SELECT period FROM billing_periods").execute().map(rows -> {
      TreeSet<BillingPeriod> periods = new TreeSet<>();
      rows.forEach(r -> periods.add(BillingPeriod.parse(r.getString(0), "period")));
      return periods;
    });
  }

  /** When {@code period} was closed, if it was. */
  public Future<Optional<Instant>> closedAt(SqlClient client, BillingPeriod period) {
    return client.preparedQuery("SELECT closed_at FROM billing_periods WHERE period = $1").execute(Tuple.of(period.toString()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getOffsetDateTime(0).toInstant()));
  }

  public Future<Void> markClosed(SqlClient client, BillingPeriod period, Optional<UUID> by) {
    return client.preparedQuery("INSERT INTO billing_periods (period, closed_by) VALUES ($1, $2)")
        .execute(Tuple.of(period.toString(), by.orElse(null))).mapEmpty();
  }

  /**
   * What final invoices already billed of a tenant's usage in {@code usagePeriod}, per metric and
   * plan segment start.
   */
  public Future<Map<String, Map<Instant, BigDecimal>>> billed(SqlClient client, UUID tenantId, BillingPeriod usagePeriod) {
    return client.preparedQuery("""
            SELECT l.metric, l.window_from, sum(l.quantity) AS quantity
              FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
             WHERE i.tenant_id = $1 AND i.status = 'final' AND l.usage_period = $2 AND l.kind IN ('usage', 'late_usage')
             GROUP BY 1, 2""")
        .execute(Tuple.of(tenantId, usagePeriod.toString()))
        .map(rows -> {
          Map<String, Map<Instant, BigDecimal>> billed = new HashMap<>();
          rows.forEach(r -> billed.computeIfAbsent(r.getString("metric"), m -> new HashMap<>())
              .put(r.getOffsetDateTime("window_from").toInstant(), r.getBigDecimal("quantity")));
          return billed;
        });
  }

  /** Tenants that existed before {@code period} ended, by name: the tenants the period bills. */
  public Future<List<BilledTenant>> tenants(SqlClient client, BillingPeriod period) {
    return client.preparedQuery("""
            SELECT t.id, t.name FROM tenants t
             WHERE EXISTS (SELECT 1 FROM tenant_plan_history h WHERE h.tenant_id = t.id AND h.valid_from < $1)
             ORDER BY t.name, t.id""")
        .execute(Tuple.of(utc(period.end())))
        .map(rows -> {
          List<BilledTenant> tenants = new ArrayList<>();
          rows.forEach(r -> tenants.add(new BilledTenant(r.getUUID("id"), r.getString("name"))));
          return tenants;
        });
  }

  /** The stored invoice of a tenant's period (final, or a draft holding adjustments), with its lines. */
  public Future<Optional<Invoice>> invoice(SqlClient client, UUID tenantId, BillingPeriod period) {
    return client.preparedQuery("SELECT id, tenant_id, period, status, currency, finalized_at FROM invoices WHERE tenant_id = $1 AND period = $2")
        .execute(Tuple.of(tenantId, period.toString()))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.empty()) : withLines(client, rows.iterator().next()).map(Optional::of));
  }

  /** A tenant's final invoices, newest first. */
  public Future<List<Invoice>> finalInvoices(SqlClient client, UUID tenantId) {
    return client.preparedQuery("""
            SELECT id, tenant_id, period, status, currency, finalized_at FROM invoices
             WHERE tenant_id = $1 AND status = 'final' ORDER BY period DESC""")
        .execute(Tuple.of(tenantId))
        .compose(rows -> {
          List<Future<Invoice>> invoices = new ArrayList<>();
          rows.forEach(r -> invoices.add(withLines(client, r)));
          return Future.all(invoices).map(all -> all.<Invoice>list());
        });
  }

  private Future<Invoice> withLines(SqlClient client, Row invoice) {
    UUID id = invoice.getUUID("id");
    return client.preparedQuery("""
            SELECT kind, metric, usage_period, plan_name, window_from, window_to, quantity, unit_price, tiers, amount, reason,
                   credit_period
              FROM invoice_lines WHERE invoice_id = $1 ORDER BY position""")
        .execute(Tuple.of(id))
        .map(rows -> new Invoice(id, invoice.getUUID("tenant_id"), BillingPeriod.parse(invoice.getString("period"), "period"),
            invoice.getString("status"), invoice.getString("currency"), lines(rows),
            Optional.ofNullable(invoice.getOffsetDateTime("finalized_at")).map(OffsetDateTime::toInstant)));
  }

  private static List<InvoiceLine> lines(RowSet<Row> rows) {
    List<InvoiceLine> lines = new ArrayList<>();
    for (Row r : rows) {
      JsonArray tiers = (JsonArray) r.getValue("tiers");
      lines.add(new InvoiceLine(r.getString("kind"), Optional.ofNullable(r.getString("metric")),
          Optional.ofNullable(r.getString("usage_period")).map(p -> BillingPeriod.parse(p, "usage_period")),
          Optional.ofNullable(r.getString("plan_name")),
          Optional.ofNullable(r.getOffsetDateTime("window_from")).map(OffsetDateTime::toInstant),
          Optional.ofNullable(r.getOffsetDateTime("window_to")).map(OffsetDateTime::toInstant),
          r.getBigDecimal("quantity"), Optional.ofNullable(r.getBigDecimal("unit_price")),
          tiers.stream().map(t -> TierCharge.fromJson((JsonObject) t)).toList(),
          r.getBigDecimal("amount"), Optional.ofNullable(r.getString("reason")),
          Optional.ofNullable(r.getString("credit_period")).map(p -> BillingPeriod.parse(p, "credit_period"))));
    }
    return lines;
  }

  /**
   * Stores {@code invoice} as final, its lines in the invoice's order: the computed lines are
   * written anew, the adjustment lines its draft row already holds are kept as written (with who
   * added them and when) and moved to their place.
   */
  public Future<Void> storeFinal(SqlClient client, Invoice invoice) {
    List<InvoiceLine> lines = invoice.lines();
    int shift = linesBeforeAdjustments(lines);
    return client.preparedQuery("""
            INSERT INTO invoices (id, tenant_id, period, status, currency, total, finalized_at)
            VALUES ($1, $2, $3, 'final', $4, $5, now())
            ON CONFLICT (id) DO UPDATE SET status = 'final', currency = EXCLUDED.currency, total = EXCLUDED.total, finalized_at = now()""")
        .execute(Tuple.of(invoice.id(), invoice.tenantId(), invoice.period().toString(), invoice.currency(), invoice.total()))
        .compose(v -> client.preparedQuery("DELETE FROM invoice_lines WHERE invoice_id = $1 AND kind <> 'adjustment'")
            .execute(Tuple.of(invoice.id())))
        // two steps, so no shifted position collides with one not yet shifted
        .compose(v -> client.preparedQuery("UPDATE invoice_lines SET position = -position WHERE invoice_id = $1").execute(Tuple.of(invoice.id())))
        .compose(v -> client.preparedQuery("UPDATE invoice_lines SET position = $2 - position WHERE invoice_id = $1")
            .execute(Tuple.of(invoice.id(), shift)))
        .compose(v -> {
          List<Tuple> batch = new ArrayList<>();
          for (int i = 0; i < lines.size(); i++) {
            InvoiceLine l = lines.get(i);
            if (l.kind().equals(InvoiceLine.ADJUSTMENT)) {
              continue;
            }
            batch.add(Tuple.from(new Object[] {invoice.id(), i + 1, l.kind(), l.metric().orElse(null),
                l.usagePeriod().map(BillingPeriod::toString).orElse(null), l.plan().orElse(null),
                l.from().map(InvoiceStore::utc).orElse(null), l.to().map(InvoiceStore::utc).orElse(null), l.quantity(),
                l.unitPrice().orElse(null), new JsonArray(l.tiers().stream().map(TierCharge::toJson).toList()), l.amount(),
                l.reason().orElse(null), l.creditPeriod().map(BillingPeriod::toString).orElse(null)}));
          }
          if (batch.isEmpty()) {
            return Future.succeededFuture();
          }
          return client.preparedQuery("""
                  INSERT INTO invoice_lines (invoice_id, position, kind, metric, usage_period, plan_name, window_from, window_to,
                                             quantity, unit_price, tiers, amount, reason, credit_period)
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""")
              .executeBatch(batch).mapEmpty();
        });
  }

  /**
   * How far the stored adjustments move: the draft row holds only them, at positions 1..k in the
   * order the invoice lists them, one after the other, so they move down by the number of lines
   * listed before the first of them.
   */
  private static int linesBeforeAdjustments(List<InvoiceLine> lines) {
    int before = 0;
    while (before < lines.size() && !lines.get(before).kind().equals(InvoiceLine.ADJUSTMENT)) {
      before++;
    }
    return before;
  }

  /** The credits that final invoices carried forward to a tenant's {@code period}, oldest first. */
  public Future<List<InvoiceCalculator.CarriedCredit>> creditsCarriedTo(SqlClient client, UUID tenantId, BillingPeriod period) {
    return client.preparedQuery("""
            SELECT i.period, i.currency, l.amount
              FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
             WHERE i.tenant_id = $1 AND i.status = 'final' AND l.kind = 'credit_carried_forward' AND l.credit_period = $2
             ORDER BY i.period""")
        .execute(Tuple.of(tenantId, period.toString()))
        .map(rows -> {
          List<InvoiceCalculator.CarriedCredit> credits = new ArrayList<>();
          rows.forEach(r -> credits.add(new InvoiceCalculator.CarriedCredit(BillingPeriod.parse(r.getString("period"), "period"),
              r.getString("currency"), r.getBigDecimal("amount"))));
          return credits;
        });
  }

  /** A credit line of a final invoice, as the CloudEvents export tells it. */
  public record CreditLine(UUID tenantId, UUID invoiceId, String currency, Instant finalizedAt, InvoiceLine line) {}

  /** The credit lines (brought or carried forward) of a period's final invoices, by tenant. */
  public Future<List<CreditLine>> periodCredits(SqlClient client, BillingPeriod period) {
    return client.preparedQuery("""
            SELECT i.tenant_id, i.id, i.currency, i.finalized_at, l.kind, l.amount, l.reason, l.credit_period
              FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
             WHERE i.period = $1 AND i.status = 'final' AND l.kind IN ('credit_brought_forward', 'credit_carried_forward')
             ORDER BY i.tenant_id, l.position""")
        .execute(Tuple.of(period.toString()))
        .map(rows -> {
          List<CreditLine> credits = new ArrayList<>();
          for (Row r : rows) {
            BigDecimal amount = r.getBigDecimal("amount");
            InvoiceLine line = new InvoiceLine(r.getString("kind"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), BigDecimal.ONE, Optional.of(amount), List.of(), amount,
                Optional.ofNullable(r.getString("reason")), Optional.of(BillingPeriod.parse(r.getString("credit_period"), "credit_period")));
            credits.add(new CreditLine(r.getUUID("tenant_id"), r.getUUID("id"), r.getString("currency"),
                r.getOffsetDateTime("finalized_at").toInstant(), line));
          }
          return credits;
        });
  }

  /**
   * Appends an adjustment line to a tenant's draft, creating the draft row if needed; empty if
   * the invoice is already final.
   */
  public Future<Optional<Integer>> addAdjustment(SqlClient client, UUID tenantId, BillingPeriod period, String currency,
      BigDecimal amount, String reason, Optional<UUID> by) {
    UUID id = Invoice.idOf(tenantId, period);
    return client.preparedQuery("""
            INSERT INTO invoices (id, tenant_id, period, status, currency) VALUES ($1, $2, $3, 'draft', $4)
            ON CONFLICT (id) DO NOTHING""")
        .execute(Tuple.of(id, tenantId, period.toString(), currency))
        .compose(v -> client.preparedQuery("SELECT status FROM invoices WHERE id = $1 FOR UPDATE").execute(Tuple.of(id)))
        .compose(rows -> {
          if (!Invoice.DRAFT.equals(rows.iterator().next().getString(0))) {
            return Future.succeededFuture(Optional.empty());
          }
          return client.preparedQuery("""
                  INSERT INTO invoice_lines (invoice_id, position, kind, quantity, unit_price, amount, reason, created_by)
                  SELECT $1, coalesce(max(position), 0) + 1, 'adjustment', 1, $2, $3, $4, $5 FROM invoice_lines WHERE invoice_id = $1
                  RETURNING position""")
              .execute(Tuple.of(id, amount, Money.round(amount), reason, by.orElse(null)))
              .map(inserted -> Optional.of(inserted.iterator().next().getInteger(0)));
        });
  }

  /** When the first tenant's first plan started: the first period billing knows of (empty when there are no tenants). */
  public Future<Optional<Instant>> firstPlanStart(SqlClient client) {
    return client.query("SELECT min(valid_from) FROM tenant_plan_history").execute()
        .map(rows -> Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0)).map(OffsetDateTime::toInstant));
  }

  /** Every closed period and when it was closed. */
  public Future<Map<BillingPeriod, Instant>> closings(SqlClient client) {
    return client.query("SELECT period, closed_at FROM billing_periods").execute().map(rows -> {
      Map<BillingPeriod, Instant> closings = new HashMap<>();
      rows.forEach(r -> closings.put(BillingPeriod.parse(r.getString(0), "period"), r.getOffsetDateTime(1).toInstant()));
      return closings;
    });
  }

  /** The final invoices of a period, one per tenant: {@code id, tenant_id, currency, total, status}. */
  public Future<List<JsonObject>> periodInvoices(SqlClient client, BillingPeriod period) {
    return client.preparedQuery("""
            SELECT id, tenant_id, currency, total, status FROM invoices WHERE period = $1 AND status = 'final' ORDER BY tenant_id""")
        .execute(Tuple.of(period.toString()))
        .map(rows -> {
          List<JsonObject> invoices = new ArrayList<>();
          rows.forEach(r -> invoices.add(new JsonObject().put("id", r.getUUID("id").toString())
              .put("tenant_id", r.getUUID("tenant_id").toString()).put("currency", r.getString("currency"))
              .put("total", Money.format(r.getBigDecimal("total"))).put("status", r.getString("status"))));
          return invoices;
        });
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
