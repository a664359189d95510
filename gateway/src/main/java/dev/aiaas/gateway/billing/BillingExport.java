package dev.aiaas.gateway.billing;

import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/admin/billing/export}: a period's invoice lines as CSV or JSON (one row per
 * tenant x line, tenant by tenant), or its usage events as CloudEvents JSON lines read through a
 * database cursor, followed by the credits its final invoices carried. Every format is streamed:
 * the response is written as it is produced and reading pauses while the client is slow, so the
 * period is never held in memory.
 */
public final class BillingExport {

  /** CSV columns, in order; the JSON rows use the same names. */
  static final List<String> COLUMNS = List.of("period", "tenant_id", "tenant_name", "invoice_id", "invoice_status", "currency", "type",
      "metric", "late_from", "plan", "quantity", "unit_price", "tiers", "amount", "reason", "carried_to", "carried_from");

  private static final String CRLF = "\r\n";
  private static final int FETCH = 500;

  private final Pool pool;
  private final InvoiceStore store;
  private final BillingService billing;
  private final Clock clock;

  public BillingExport(Pool pool, InvoiceStore store, BillingService billing, Clock clock) {
    this.pool = pool;
    this.store = store;
    this.billing = billing;
    this.clock = clock;
  }

  void handle(RoutingContext ctx) {
    try {
      BillingPeriod period = BillingPeriod.parse(ctx.request().getParam("period"), "period");
      String format = Optional.ofNullable(ctx.request().getParam("format")).orElse("csv");
      Instant now = clock.instant();
      if (period.start().isAfter(now)) {
        throw ApiException.badRequest("validation-failed", "period: " + period + " has not started");
      }
      switch (format) {
        case "csv" -> lines(ctx, period, now, new Csv());
        case "json" -> lines(ctx, period, now, new Json(period, now));
        case "cloudevents" -> events(ctx, period);
        default -> throw ApiException.badRequest("validation-failed", "format: one of csv, json, cloudevents");
      }
    } catch (RuntimeException e) {
      ctx.fail(e);
    }
  }

  /** How invoice lines are written in one format. */
  private interface LineFormat {
    String contentType();

    String extension();

    String head();

    String row(InvoiceStore.BilledTenant tenant, Invoice invoice, InvoiceLine line, boolean first);

    String tail();
  }

  private void lines(RoutingContext ctx, BillingPeriod period, Instant now, LineFormat format) {
    store.tenants(pool, period).onFailure(ctx::fail).onSuccess(tenants -> {
      HttpServerResponse response = start(ctx, format.contentType(), "aiaas-billing-" + period + "." + format.extension());
      Future<Boolean> written = write(response, format.head()).map(false);
      for (InvoiceStore.BilledTenant tenant : tenants) {
        written = written.compose(any -> billing.invoice(pool, tenant.id(), period, now).compose(invoice -> {
          if (invoice.isEmpty() || invoice.get().lines().isEmpty()) {
            return Future.succeededFuture(any);
          }
          StringBuilder rows = new StringBuilder();
          boolean first = !any;
          for (InvoiceLine line : invoice.get().lines()) {
            rows.append(format.row(tenant, invoice.get(), line, first));
            first = false;
          }
          return write(response, rows.toString()).map(true);
        }));
      }
      written.compose(any -> response.end(format.tail())).onFailure(ctx::fail);
    });
  }

  /** Usage events of the period as CloudEvents, one JSON object per line, from a cursor. */
  private void events(RoutingContext ctx, BillingPeriod period) {
    pool.getConnection().onFailure(ctx::fail).onSuccess(conn -> conn.begin()
        .compose(tx -> conn.prepare("""
                SELECT event_id, tenant_id, metric, quantity, occurred_at, recorded_at, api_key_id, model, job_id
                  FROM usage_events WHERE occurred_at >= $1 AND occurred_at < $2""")
            .map(statement -> {
              RowStream<Row> stream = statement.createStream(FETCH,
                  Tuple.of(InvoiceStore.utc(period.start()), InvoiceStore.utc(period.end())));
              pipe(ctx, conn, tx, stream, period);
              return null;
            }))
        .onFailure(failure -> {
          conn.close();
          ctx.fail(failure);
        }));
  }

  private void pipe(RoutingContext ctx, SqlConnection conn, Transaction tx, RowStream<Row> stream, BillingPeriod period) {
    HttpServerResponse response = start(ctx, "application/x-ndjson", "aiaas-usage-" + period + ".ndjson");
    java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        // Read only: nothing to commit; ending the transaction closes the cursor.
        tx.rollback().onComplete(v -> conn.close());
      }
    };
    response.closeHandler(v -> stream.close().onComplete(c -> release.run()));
    stream.exceptionHandler(failure -> {
      release.run();
      ctx.fail(failure);
    });
    stream.endHandler(v -> {
      release.run();
      store.periodCredits(pool, period)
          .compose(credits -> response.end(credits.stream().map(c -> creditEvent(period, c).encode() + "\n").collect(Collectors.joining())))
          .onFailure(ctx::fail);
    });
    stream.handler(row -> {
      response.write(cloudEvent(row).encode() + "\n");
      if (response.writeQueueFull()) {
        // Backpressure: stop fetching from the cursor until the client has taken what was written.
        stream.pause();
        response.drainHandler(d -> stream.resume());
      }
    });
  }

  static JsonObject cloudEvent(Row row) {
    String metric = row.getString("metric");
    return new JsonObject()
        .put("specversion", "1.0")
        .put("id", row.getUUID("event_id").toString())
        .put("source", "/aiaas/usage")
        .put("type", "dev.aiaas.usage." + metric)
        .put("subject", row.getUUID("tenant_id").toString())
        .put("time", row.getOffsetDateTime("occurred_at").toInstant().toString())
        .put("datacontenttype", "application/json")
        .put("data", new JsonObject()
            .put("metric", metric)
            .put("quantity", Money.plain(row.getBigDecimal("quantity")))
            .put("model", row.getString("model"))
            .put("api_key_id", Optional.ofNullable(row.getUUID("api_key_id")).map(Object::toString).orElse(null))
            .put("job_id", Optional.ofNullable(row.getUUID("job_id")).map(Object::toString).orElse(null))
            .put("recorded_at", row.getOffsetDateTime("recorded_at").toInstant().toString()));
  }

  /**
   * A credit moved between final invoices, as a CloudEvent: its id is derived from the invoice and
   * the line's type, so exporting the period again repeats the same event (final invoices never
   * change) and consumers can de-duplicate it. Drafts' credits are not events yet.
   */
  static JsonObject creditEvent(BillingPeriod period, InvoiceStore.CreditLine credit) {
    InvoiceLine line = credit.line();
    return new JsonObject()
        .put("specversion", "1.0")
        .put("id", UUID.nameUUIDFromBytes(("aiaas-credit:" + credit.invoiceId() + ":" + line.kind()).getBytes(StandardCharsets.UTF_8))
            .toString())
        .put("source", "/aiaas/billing")
        .put("type", "dev.aiaas.billing." + line.kind())
        .put("subject", credit.tenantId().toString())
        .put("time", credit.finalizedAt().toString())
        .put("datacontenttype", "application/json")
        .put("data", new JsonObject()
            .put("invoice_id", credit.invoiceId().toString())
            .put("period", period.toString())
            .put("currency", credit.currency())
            .put("amount", Money.format(line.amount()))
            .put("carried_to", line.carriedTo().map(BillingPeriod::toString).orElse(null))
            .put("carried_from", line.carriedFrom().map(BillingPeriod::toString).orElse(null)));
  }

  private static HttpServerResponse start(RoutingContext ctx, String contentType, String filename) {
    return ctx.response().setChunked(true)
        .putHeader("Content-Type", contentType)
        .putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"")
        .putHeader("Cache-Control", "no-store");
  }

  /** Writes and, when the client is slow, waits until the response's write queue drains. */
  private static Future<Void> write(HttpServerResponse response, String text) {
    if (text.isEmpty()) {
      return Future.succeededFuture();
    }
    response.write(Buffer.buffer(text));
    if (!response.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    response.drainHandler(v -> drained.tryComplete());
    response.closeHandler(v -> drained.tryFail("the client went away"));
    return drained.future();
  }

  /** The values of one exported line, by column. */
  static JsonObject row(InvoiceStore.BilledTenant tenant, Invoice invoice, InvoiceLine line) {
    return new JsonObject()
        .put("period", invoice.period().toString())
        .put("tenant_id", tenant.id().toString())
        .put("tenant_name", tenant.name())
        .put("invoice_id", invoice.id().toString())
        .put("invoice_status", invoice.status())
        .put("currency", invoice.currency())
        .put("type", line.kind())
        .put("metric", line.metric().orElse(null))
        .put("late_from", line.kind().equals(InvoiceLine.LATE_USAGE) ? line.usagePeriod().map(BillingPeriod::toString).orElse(null) : null)
        .put("plan", line.plan().orElse(null))
        .put("quantity", Money.plain(line.quantity()))
        .put("unit_price", line.unitPrice().map(Money::plain).orElse(null))
        .put("tiers", new JsonArray(line.tiers().stream().map(TierCharge::toJson).toList()))
        .put("amount", Money.format(line.amount()))
        .put("reason", line.reason().orElse(null))
        .put("carried_to", line.carriedTo().map(BillingPeriod::toString).orElse(null))
        .put("carried_from", line.carriedFrom().map(BillingPeriod::toString).orElse(null));
  }

  /** RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line break. */
  private static final class Csv implements LineFormat {

    @Override
    public String contentType() {
      return "text/csv; charset=utf-8; header=present";
    }

    @Override
    public String extension() {
      return "csv";
    }

    @Override
    public String head() {
      return String.join(",", COLUMNS) + CRLF;
    }

    @Override
    public String row(InvoiceStore.BilledTenant tenant, Invoice invoice, InvoiceLine line, boolean first) {
      JsonObject row = BillingExport.row(tenant, invoice, line);
      String tiers = line.tiers().stream().map(t -> Money.plain(t.quantity()) + "@" + Money.plain(t.unitPrice()))
          .collect(Collectors.joining(";"));
      return COLUMNS.stream().map(column -> switch (column) {
        case "tiers" -> quote(tiers);
        case "tenant_name", "reason" -> quote(defuse(row.getString(column)));
        default -> quote(row.getString(column));
      }).collect(Collectors.joining(",")) + CRLF;
    }

    @Override
    public String tail() {
      return "";
    }

    static String quote(String value) {
      if (value == null) {
        return "";
      }
      if (value.contains(",") || value.contains("\"") || value.contains("\r") || value.contains("\n")) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
      }
      return value;
    }

    /** Free text that a spreadsheet would run as a formula gets a leading apostrophe. */
    static String defuse(String text) {
      return text != null && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }
  }

  /** One JSON document, {@code {"period", "generated_at", "rows": [...]}}, written row by row. */
  private static final class Json implements LineFormat {

    private final BillingPeriod period;
    private final Instant now;

    Json(BillingPeriod period, Instant now) {
      this.period = period;
      this.now = now;
    }

    @Override
    public String contentType() {
      return "application/json";
    }

    @Override
    public String extension() {
      return "json";
    }

    @Override
    public String head() {
      String open = new JsonObject().put("period", period.toString()).put("generated_at", now.toString()).encode();
      return open.substring(0, open.length() - 1) + ",\"rows\":[";
    }

    @Override
    public String row(InvoiceStore.BilledTenant tenant, Invoice invoice, InvoiceLine line, boolean first) {
      return (first ? "\n" : ",\n") + BillingExport.row(tenant, invoice, line).encode();
    }

    @Override
    public String tail() {
      return "\n]}\n";
    }
  }
}
