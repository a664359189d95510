package dev.aiaas.gateway.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Credits larger than an invoice, through the HTTP API: the total stays at zero, the excess is
 * carried to the next open month and shown on both invoices and in every export format. Closing is
 * global, so this class has a platform of its own and its tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CarriedCreditIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final BillingPeriod CURRENT = BillingPeriod.containing(Instant.now());
  private static final BillingPeriod PREVIOUS = CURRENT.previous();
  private static final BillingPeriod TWO_AGO = PREVIOUS.previous();

  private static BillingData data;
  private static TenantFixture early;

  private static Api admin() {
    return app.api().as(app.adminToken());
  }

  @AfterAll
  static void closeData() {
    if (data != null) {
      data.close();
    }
  }

  private static String plan() {
    String name = "credited-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Response created = admin().post("/v1/admin/plans", new JsonObject("""
        {"name": "%s", "currency": "EUR", "base_fee": "49.00",
         "prices": {"predictions": {"included": 1000, "unit_price": "0.0010"}}}""".formatted(name)));
    assertEquals(201, created.status(), created.toString());
    return name;
  }

  private static void credit(String tenantId, BillingPeriod period, String amount) {
    Api.Response credited = admin().post("/v1/admin/tenants/" + tenantId + "/invoices/" + period + "/adjustments",
        new JsonObject().put("amount", amount).put("reason", "migration goodwill"));
    assertEquals(201, credited.status(), credited.toString());
  }

  private static JsonObject invoice(String tenantId, BillingPeriod period) {
    Api.Response response = admin().get("/v1/admin/tenants/" + tenantId + "/invoices/" + period);
    assertEquals(200, response.status(), response.toString());
    return response.json();
  }

  private static List<JsonObject> lines(JsonObject invoice, String type) {
    return invoice.getJsonArray("lines").stream().map(JsonObject.class::cast).filter(l -> l.getString("type").equals(type)).toList();
  }

  private static BigDecimal sum(List<JsonObject> rows) {
    return rows.stream().map(r -> new BigDecimal(r.getString("amount"))).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** What the invoice charges before credits: base fees and usage. */
  private static BigDecimal charges(JsonObject invoice) {
    return sum(invoice.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .filter(l -> List.of("base_fee", "usage", "late_usage").contains(l.getString("type"))).toList());
  }

  private static List<JsonObject> exportRows(BillingPeriod period, String tenantId) {
    Api.Response response = admin().get("/v1/admin/billing/export?period=" + period + "&format=json");
    assertEquals(200, response.status(), response.toString());
    return response.json().getJsonArray("rows").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("tenant_id").equals(tenantId)).toList();
  }

  /**
   * Verifies that a credit larger than the month's charges leaves a total of zero, carries the
   * excess to the next month (shown on the draft, kept by the close, idempotently), that the next
   * month's draft opens with it, and that the CSV, JSON and CloudEvents exports show it.
   */
  @Test
  @Order(1)
  void creditLargerThanTheMonthCarriesToTheNextMonth() {
    data = new BillingData(app);
    TenantFixture tenant = TenantFixture.create(app, "carried", plan());
    early = TenantFixture.create(app, "early", plan());
    data.backdatePlan(tenant.id(), PREVIOUS.start());
    data.backdatePlan(early.id(), TWO_AGO.start());

    // GIVEN 49.00 base fee + 2000 predictions over the included 1000 at 0.0010 in the previous month
    List<UUID> events = data.usage(tenant.id(), Metric.PREDICTIONS, PREVIOUS.start().plus(Duration.ofDays(3)), "3000");
    // AND a credit of 81.50, 30.50 more than those charges
    credit(tenant.id(), PREVIOUS, "-81.50");

    // WHEN the previous month's draft is read
    JsonObject draft = invoice(tenant.id(), PREVIOUS);

    // THEN its total is zero, not negative, and it shows the credit that would carry to this month
    assertEquals(new BigDecimal("51.000000"), charges(draft));
    assertEquals("0.000000", draft.getString("total"));
    List<JsonObject> carried = lines(draft, "credit_carried_forward");
    assertEquals(1, carried.size(), draft.encode());
    assertEquals("30.500000", carried.get(0).getString("amount"));
    assertEquals(CURRENT.toString(), carried.get(0).getString("carried_to"));
    assertEquals("credit carried to " + CURRENT, carried.get(0).getString("reason"));
    JsonObject last = draft.getJsonArray("lines").getJsonObject(draft.getJsonArray("lines").size() - 1);
    assertEquals("credit_carried_forward", last.getString("type"));
    // AND this month's draft has no credit from a month not closed yet
    assertTrue(lines(invoice(tenant.id(), CURRENT), "credit_brought_forward").isEmpty());

    // WHEN the previous month is closed, twice
    Api.Response closed = admin().post("/v1/admin/billing/periods/" + PREVIOUS + "/close", new JsonObject());
    assertEquals(200, closed.status(), closed.toString());
    assertEquals(closed.json(), admin().post("/v1/admin/billing/periods/" + PREVIOUS + "/close", new JsonObject()).json());

    // THEN the final invoice is the draft, total zero
    JsonObject summary = closed.json().getJsonArray("invoices").stream().map(JsonObject.class::cast)
        .filter(i -> i.getString("tenant_id").equals(tenant.id())).findFirst().orElseThrow();
    assertEquals("0.000000", summary.getString("total"));
    JsonObject finalInvoice = app.api().as(tenant.ownerToken()).get("/v1/invoices/" + PREVIOUS).json();
    assertEquals("final", finalInvoice.getString("status"));
    assertEquals("0.000000", finalInvoice.getString("total"));
    assertEquals(draft.getJsonArray("lines"), finalInvoice.getJsonArray("lines"));

    // AND this month's draft opens with the credit carried from the previous month
    JsonObject current = app.api().as(tenant.ownerToken()).get("/v1/invoices/" + CURRENT).json();
    JsonObject opening = current.getJsonArray("lines").getJsonObject(0);
    assertEquals("credit_brought_forward", opening.getString("type"));
    assertEquals("-30.500000", opening.getString("amount"));
    assertEquals(PREVIOUS.toString(), opening.getString("carried_from"));
    assertEquals("credit carried from " + PREVIOUS, opening.getString("reason"));
    assertEquals(0, charges(current).subtract(new BigDecimal("30.50")).compareTo(new BigDecimal(current.getString("total"))),
        current.encode());

    // WHEN this month gets a credit larger than what is left THEN its draft shows the credit carrying on
    credit(tenant.id(), CURRENT, "-100.00");
    current = invoice(tenant.id(), CURRENT);
    assertEquals("0.000000", current.getString("total"));
    JsonObject onward = lines(current, "credit_carried_forward").get(0);
    assertEquals(CURRENT.next().toString(), onward.getString("carried_to"));
    assertEquals(0, new BigDecimal("130.50").subtract(charges(current)).compareTo(new BigDecimal(onward.getString("amount"))),
        current.encode());

    // AND the final invoice never changed
    assertEquals(finalInvoice, app.api().as(tenant.ownerToken()).get("/v1/invoices/" + PREVIOUS).json());

    // AND the JSON export shows the carry on both months, each tenant's rows adding up to its total
    List<JsonObject> previousRows = exportRows(PREVIOUS, tenant.id());
    assertEquals(0, sum(previousRows).signum());
    JsonObject carriedRow = previousRows.stream().filter(r -> r.getString("type").equals("credit_carried_forward")).findFirst().orElseThrow();
    assertEquals("30.500000", carriedRow.getString("amount"));
    assertEquals(CURRENT.toString(), carriedRow.getString("carried_to"));
    assertEquals("final", carriedRow.getString("invoice_status"));
    List<JsonObject> currentRows = exportRows(CURRENT, tenant.id());
    JsonObject broughtRow = currentRows.stream().filter(r -> r.getString("type").equals("credit_brought_forward")).findFirst().orElseThrow();
    assertEquals("-30.500000", broughtRow.getString("amount"));
    assertEquals(PREVIOUS.toString(), broughtRow.getString("carried_from"));
    assertEquals(0, sum(currentRows).signum());

    // AND the CSV export has the carry in its own columns
    Api.Response csv = admin().get("/v1/admin/billing/export?period=" + PREVIOUS + "&format=csv");
    assertEquals(200, csv.status());
    List<List<String>> records = Rfc4180.parse(csv.body());
    assertEquals(BillingExport.COLUMNS, records.get(0));
    List<String> carriedRecord = records.stream()
        .filter(r -> r.get(BillingExport.COLUMNS.indexOf("tenant_id")).equals(tenant.id())
            && r.get(BillingExport.COLUMNS.indexOf("type")).equals("credit_carried_forward"))
        .findFirst().orElseThrow(() -> new AssertionError(csv.body()));
    assertEquals("30.500000", carriedRecord.get(BillingExport.COLUMNS.indexOf("amount")));
    assertEquals(CURRENT.toString(), carriedRecord.get(BillingExport.COLUMNS.indexOf("carried_to")));
    assertEquals("", carriedRecord.get(BillingExport.COLUMNS.indexOf("carried_from")));
    assertEquals("credit carried to " + CURRENT, carriedRecord.get(BillingExport.COLUMNS.indexOf("reason")));

    // AND the CloudEvents export has the usage events and then the carried credit, the same event each time
    List<JsonObject> cloudEvents = cloudEvents(PREVIOUS);
    assertEquals(events.stream().map(UUID::toString).toList(), cloudEvents.stream()
        .filter(e -> e.getString("type").startsWith("dev.aiaas.usage.") && e.getString("subject").equals(tenant.id()))
        .map(e -> e.getString("id")).toList());
    List<JsonObject> credits = cloudEvents.stream().filter(e -> e.getString("type").startsWith("dev.aiaas.billing.")).toList();
    assertEquals(1, credits.size(), credits.toString());
    JsonObject creditEvent = credits.get(0);
    assertEquals("dev.aiaas.billing.credit_carried_forward", creditEvent.getString("type"));
    assertEquals("/aiaas/billing", creditEvent.getString("source"));
    assertEquals(tenant.id(), creditEvent.getString("subject"));
    assertEquals(Instant.parse(finalInvoice.getString("finalized_at")), Instant.parse(creditEvent.getString("time")));
    JsonObject payload = creditEvent.getJsonObject("data");
    assertEquals(finalInvoice.getString("id"), payload.getString("invoice_id"));
    assertEquals(PREVIOUS.toString(), payload.getString("period"));
    assertEquals("EUR", payload.getString("currency"));
    assertEquals("30.500000", payload.getString("amount"));
    assertEquals(CURRENT.toString(), payload.getString("carried_to"));
    assertEquals(credits, cloudEvents(PREVIOUS).stream().filter(e -> e.getString("type").startsWith("dev.aiaas.billing.")).toList());
  }

  /**
   * Verifies that closing an earlier month after a later one was closed carries its credit past the
   * closed month to the first open one, leaving the final invoice in between unchanged.
   */
  @Test
  @Order(2)
  void creditSkipsMonthsClosedOutOfOrder() {
    // GIVEN a tenant since two months ago whose previous month is already final (closed by the test before)
    JsonObject previousFinal = invoice(early.id(), PREVIOUS);
    assertEquals("final", previousFinal.getString("status"));
    assertEquals("49.000000", previousFinal.getString("total"));
    // AND a credit two months ago larger than that month's 49.00
    credit(early.id(), TWO_AGO, "-200.00");
    assertEquals(CURRENT.toString(), lines(invoice(early.id(), TWO_AGO), "credit_carried_forward").get(0).getString("carried_to"));

    // WHEN that month is closed
    assertEquals(200, admin().post("/v1/admin/billing/periods/" + TWO_AGO + "/close", new JsonObject()).status());

    // THEN its 151.00 go to this month, the first open one, and the month in between is unchanged
    JsonObject twoAgo = invoice(early.id(), TWO_AGO);
    assertEquals("final", twoAgo.getString("status"));
    assertEquals("0.000000", twoAgo.getString("total"));
    assertEquals(previousFinal, invoice(early.id(), PREVIOUS));
    JsonObject current = invoice(early.id(), CURRENT);
    JsonObject opening = current.getJsonArray("lines").getJsonObject(0);
    assertEquals("credit_brought_forward", opening.getString("type"));
    assertEquals("-151.000000", opening.getString("amount"));
    assertEquals(TWO_AGO.toString(), opening.getString("carried_from"));
    assertEquals("0.000000", current.getString("total"));
    assertEquals("102.000000", lines(current, "credit_carried_forward").get(0).getString("amount")); // 151 - 49
  }

  private static List<JsonObject> cloudEvents(BillingPeriod period) {
    Api.Response response = admin().get("/v1/admin/billing/export?period=" + period + "&format=cloudevents");
    assertEquals(200, response.status(), response.toString());
    return response.body().lines().map(JsonObject::new).toList();
  }
}
