package dev.aiaas.gateway.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invoices, period close, late usage, adjustments and the billing export against a real platform.
 * The previous calendar month is the closable period; the first test closes it (closing is global),
 * so the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static BillingData data;

  private static final BillingPeriod CURRENT = BillingPeriod.containing(Instant.now());
  private static final BillingPeriod PREVIOUS = CURRENT.previous();

  private static Api admin() {
    return app.api().as(app.adminToken());
  }

  private static BillingData data() {
    if (data == null) {
      data = new BillingData(app);
    }
    return data;
  }

  @AfterAll
  static void closeData() {
    if (data != null) {
      data.close();
    }
  }

  /** A plan with the contract's example prices, under a unique name. */
  private static String pricedPlan(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Response created = admin().post("/v1/admin/plans", new JsonObject("""
        {"name": "%s", "currency": "EUR", "base_fee": "49.00",
         "prices": {"predictions": {"included": 1000, "tiers": [{"up_to": 10000, "unit_price": "0.0010"},
                                                                {"up_to": null, "unit_price": "0.0008"}]},
                    "training_seconds": {"unit_price": "0.0020"},
                    "storage_gb_months": {"unit_price": "0.10"}}}""".formatted(name)));
    assertEquals(201, created.status(), created.toString());
    return name;
  }

  /** Checks a line is exact: tiers add up to the quantity, each tier amount is quantity x price, the amount is their sum rounded once. */
  private static void assertLineExact(JsonObject line) {
    BigDecimal exact = BigDecimal.ZERO;
    BigDecimal units = BigDecimal.ZERO;
    for (Object t : line.getJsonArray("tiers")) {
      JsonObject tier = (JsonObject) t;
      BigDecimal product = new BigDecimal(tier.getString("quantity")).multiply(new BigDecimal(tier.getString("unit_price")));
      assertEquals(0, product.compareTo(new BigDecimal(tier.getString("amount"))), line.encode());
      exact = exact.add(product);
      units = units.add(new BigDecimal(tier.getString("quantity")));
    }
    if (line.getString("type").endsWith("usage")) {
      assertEquals(0, units.compareTo(new BigDecimal(line.getString("quantity"))), line.encode());
      assertEquals(exact.setScale(6, RoundingMode.HALF_EVEN).toPlainString(), line.getString("amount"), line.encode());
    }
  }

  private static BigDecimal sumOfLines(JsonObject invoice) {
    return invoice.getJsonArray("lines").stream().map(l -> new BigDecimal(((JsonObject) l).getString("amount")))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static JsonObject line(JsonObject invoice, String type, String metric) {
    return invoice.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("type").equals(type) && metric.equals(l.getString("metric")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + type + " line for " + metric + " in " + invoice.encode()));
  }

  /**
   * Verifies that invoice lines equal quantity x price (tiers included) exactly, that the total is
   * the sum of lines and of the export's amounts, that closing is idempotent and refuses open
   * periods, and that a closed invoice stays unchanged when late usage arrives, which the next
   * draft bills as late usage.
   */
  @Test
  @Order(1)
  void invoicesCloseAndLateUsage() {
    String plan = pricedPlan("pro");
    TenantFixture acme = TenantFixture.create(app, "acme", plan);
    Api.Response odd = admin().post("/v1/admin/tenants",
        new JsonObject().put("name", "Smith, \"Quoted\" & Co " + UUID.randomUUID().toString().substring(0, 6)).put("plan", plan));
    assertEquals(201, odd.status(), odd.toString());
    String oddId = odd.json().getString("id");
    String oddName = odd.json().getString("name");

    // GIVEN usage in the previous month, on the plan since its start
    Instant start = PREVIOUS.start();
    data().backdatePlan(acme.id(), start);
    data().backdatePlan(oddId, start);
    List<UUID> events = new ArrayList<>();
    events.addAll(data().usage(acme.id(), Metric.PREDICTIONS, start.plus(Duration.ofDays(2)), "5000", "5000", "2345"));
    events.addAll(data().usage(acme.id(), Metric.TRAINING_SECONDS, start.plus(Duration.ofDays(3).plusMinutes(7)), "100.5", "3.25"));
    events.addAll(data().usage(acme.id(), Metric.API_CALLS, start.plus(Duration.ofDays(4)), "7"));
    events.addAll(data().usage(oddId, Metric.PREDICTIONS, start.plus(Duration.ofDays(5)), "1500"));
    data().storageSample(acme.id(), start, 2_000_000_000L);
    data().storageSample(acme.id(), start.plus(Duration.ofSeconds(PREVIOUS.seconds() / 2)), 4_000_000_000L);

    // WHEN the previous month's draft is read
    JsonObject draft = admin().get("/v1/admin/tenants/" + acme.id() + "/invoices/" + PREVIOUS).json();

    // THEN every line is exact and the total is their sum
    assertEquals("draft", draft.getString("status"));
    assertEquals("EUR", draft.getString("currency"));
    draft.getJsonArray("lines").forEach(l -> assertLineExact((JsonObject) l));
    JsonObject baseFee = draft.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("type").equals("base_fee")).findFirst().orElseThrow();
    assertEquals("49.000000", baseFee.getString("amount"));
    assertEquals("12345", line(draft, "usage", "predictions").getString("quantity"));
    assertEquals("10.876000", line(draft, "usage", "predictions").getString("amount")); // 9000 x 0.0010 + 2345 x 0.0008
    assertEquals("0.207500", line(draft, "usage", "training_seconds").getString("amount")); // 103.75 x 0.0020
    assertEquals("0.300000", line(draft, "usage", "storage_gb_months").getString("amount")); // 3 GB average x 0.10
    assertEquals("0.000000", line(draft, "usage", "api_calls").getString("amount")); // metered, not priced
    assertEquals(sumOfLines(draft).toPlainString(), draft.getString("total"));
    assertEquals("60.383500", draft.getString("total"));

    // AND the draft export (JSON) carries the same amounts
    Map<String, BigDecimal> exported = exportTotals(exportJson(PREVIOUS));
    assertEquals(0, new BigDecimal(draft.getString("total")).compareTo(exported.get(acme.id())));

    // AND a credit on the other tenant's draft is kept when the period is closed
    Api.Response credit = admin().post("/v1/admin/tenants/" + oddId + "/invoices/" + PREVIOUS + "/adjustments",
        new JsonObject().put("amount", "-0.25").put("reason", "goodwill, \"thanks\""));
    assertEquals(201, credit.status(), credit.toString());

    // WHEN periods that have not ended are closed THEN 409
    assertEquals(409, admin().post("/v1/admin/billing/periods/" + CURRENT + "/close", new JsonObject()).status());
    assertEquals(409, admin().post("/v1/admin/billing/periods/" + CURRENT.next() + "/close", new JsonObject()).status());

    // WHEN the previous month is closed twice THEN the same invoices
    Api.Response first = admin().post("/v1/admin/billing/periods/" + PREVIOUS + "/close", new JsonObject());
    assertEquals(200, first.status(), first.toString());
    Api.Response second = admin().post("/v1/admin/billing/periods/" + PREVIOUS + "/close", new JsonObject());
    assertEquals(200, second.status());
    assertEquals(first.json(), second.json());
    JsonObject acmeSummary = first.json().getJsonArray("invoices").stream().map(JsonObject.class::cast)
        .filter(i -> i.getString("tenant_id").equals(acme.id())).findFirst().orElseThrow();
    assertEquals(draft.getString("id"), acmeSummary.getString("id"));
    assertEquals("60.383500", acmeSummary.getString("total"));

    JsonObject oddFinal = admin().get("/v1/admin/tenants/" + oddId + "/invoices/" + PREVIOUS).json();
    assertEquals("final", oddFinal.getString("status"));
    JsonArray oddLines = oddFinal.getJsonArray("lines");
    assertEquals("adjustment", oddLines.getJsonObject(oddLines.size() - 1).getString("type"));
    assertEquals("goodwill, \"thanks\"", oddLines.getJsonObject(oddLines.size() - 1).getString("reason"));
    assertEquals("-0.250000", oddLines.getJsonObject(oddLines.size() - 1).getString("amount"));
    assertEquals(sumOfLines(oddFinal).toPlainString(), oddFinal.getString("total"));
    assertEquals("49.250000", oddFinal.getString("total")); // 49 + 500 x 0.0010 - 0.25
    JsonObject closed = app.api().as(acme.ownerToken()).get("/v1/invoices/" + PREVIOUS).json();
    assertEquals("final", closed.getString("status"));
    assertEquals(draft.getJsonArray("lines"), closed.getJsonArray("lines"));

    // WHEN late usage of the closed month arrives
    events.addAll(data().usage(acme.id(), Metric.PREDICTIONS, start.plus(Duration.ofDays(20)), "100"));

    // THEN the final invoice is unchanged, and closing again still answers the same
    assertEquals(closed, app.api().as(acme.ownerToken()).get("/v1/invoices/" + PREVIOUS).json());
    assertEquals(first.json(), admin().post("/v1/admin/billing/periods/" + PREVIOUS + "/close", new JsonObject()).json());

    // AND the current draft bills it as late usage, continuing the closed month's tiers
    JsonObject current = app.api().as(acme.ownerToken()).get("/v1/invoices/" + CURRENT).json();
    JsonObject late = line(current, "late_usage", "predictions");
    assertEquals(PREVIOUS.toString(), late.getString("late_from"));
    assertEquals("100", late.getString("quantity"));
    assertEquals("0.080000", late.getString("amount"));
    current.getJsonArray("lines").forEach(l -> assertLineExact((JsonObject) l));
    assertEquals(sumOfLines(current).toPlainString(), current.getString("total"));

    // AND the list shows the draft and the final invoice, newest first
    JsonArray list = app.api().as(acme.ownerToken()).get("/v1/invoices").data();
    assertEquals(CURRENT.toString(), list.getJsonObject(0).getString("period"));
    assertEquals("draft", list.getJsonObject(0).getString("status"));
    assertEquals(closed, list.getJsonObject(1));

    // AND the exports of the closed month agree with the final invoices
    JsonObject json = exportJson(PREVIOUS);
    assertJsonExportShape(json);
    Map<String, BigDecimal> finalTotals = exportTotals(json);
    assertEquals(0, new BigDecimal(closed.getString("total")).compareTo(finalTotals.get(acme.id())));
    assertCsvExport(PREVIOUS, acme.id(), closed, oddId, oddName);
    assertCloudEvents(PREVIOUS, events, acme.id());
  }

  /** Verifies that a mid-period plan change pro-rates the base fees and prices usage by the plan in force when it happened. */
  @Test
  @Order(2)
  void planChangeMidPeriod() {
    String pro = pricedPlan("pro");
    String scale = "scale-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin().post("/v1/admin/plans", new JsonObject("""
        {"name": "%s", "currency": "EUR", "base_fee": "99.00",
         "prices": {"predictions": {"included": 1000, "unit_price": "0.0020"}}}""".formatted(scale))).status());
    TenantFixture tenant = TenantFixture.create(app, "switcher", pro);
    data().backdatePlan(tenant.id(), CURRENT.start());
    data().usage(tenant.id(), Metric.PREDICTIONS, CURRENT.start().plus(Duration.ofMinutes(30)), "500");

    assertEquals(200, admin().patch("/v1/admin/tenants/" + tenant.id(), new JsonObject().put("plan", scale)).status());
    data().usage(tenant.id(), Metric.PREDICTIONS, Instant.now().plusSeconds(1), "700");

    JsonObject invoice = app.api().as(tenant.ownerToken()).get("/v1/invoices/" + CURRENT).json();
    List<JsonObject> fees = invoice.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("type").equals("base_fee")).toList();
    assertEquals(2, fees.size(), invoice.encode());
    long seconds = 0;
    for (JsonObject fee : fees) {
      JsonObject proration = fee.getJsonObject("proration");
      seconds += proration.getLong("seconds");
      BigDecimal expected = new BigDecimal(fee.getString("unit_price")).multiply(BigDecimal.valueOf(proration.getLong("seconds")))
          .divide(BigDecimal.valueOf(proration.getLong("period_seconds")), 6, RoundingMode.HALF_EVEN);
      assertEquals(expected.toPlainString(), fee.getString("amount"));
    }
    assertEquals(CURRENT.seconds(), seconds);
    List<JsonObject> usage = invoice.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("type").equals("usage")).toList();
    assertEquals(2, usage.size(), invoice.encode());
    assertEquals(pro, usage.get(0).getString("plan"));
    assertEquals("0.000000", usage.get(0).getString("amount"));
    // units 501..1200 on the new plan: 501..1000 included, 200 at 0.0020
    assertEquals(scale, usage.get(1).getString("plan"));
    assertEquals("700", usage.get(1).getString("quantity"));
    assertEquals("0.400000", usage.get(1).getString("amount"));
    usage.forEach(BillingIT::assertLineExact);
    assertEquals(sumOfLines(invoice).toPlainString(), invoice.getString("total"));
  }

  /** Verifies that an operator's credit lands on the draft with its reason, audited, and a closed period refuses one. */
  @Test
  @Order(3)
  void adjustments() {
    TenantFixture tenant = TenantFixture.create(app, "credited", pricedPlan("pro"));
    String path = "/v1/admin/tenants/" + tenant.id() + "/invoices/" + CURRENT + "/adjustments";
    JsonObject before = app.api().as(tenant.ownerToken()).get("/v1/invoices/" + CURRENT).json();

    Api.Response credited = admin().post(path, new JsonObject().put("amount", "-5.25").put("reason", "outage credit"));
    assertEquals(201, credited.status(), credited.toString());
    JsonObject after = app.api().as(tenant.ownerToken()).get("/v1/invoices/" + CURRENT).json();
    JsonObject credit = after.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("type").equals("adjustment")).findFirst().orElseThrow();
    assertEquals("-5.250000", credit.getString("amount"));
    assertEquals("outage credit", credit.getString("reason"));
    // a tenant created late in the month may be charged less than the credit: the total stops at zero
    BigDecimal expected = new BigDecimal(before.getString("total")).subtract(new BigDecimal("5.25")).max(BigDecimal.ZERO);
    assertEquals(0, expected.compareTo(new BigDecimal(after.getString("total"))), after.encode());
    assertEquals(sumOfLines(after).toPlainString(), after.getString("total"));
    assertEquals(before.getString("id"), after.getString("id"));

    JsonArray audit = app.api().as(tenant.ownerToken()).get("/v1/audit").data();
    assertTrue(audit.stream().map(JsonObject.class::cast).anyMatch(e -> e.getString("action").equals("invoice.adjusted")
        && e.getJsonObject("details").getString("reason").equals("outage credit")), audit.encode());

    assertEquals(400, admin().post(path, new JsonObject().put("amount", "1.5")).status());
    assertEquals(400, admin().post(path, new JsonObject().put("amount", 1.5).put("reason", "float")).status());
    String closedPath = "/v1/admin/tenants/" + tenant.id() + "/invoices/" + PREVIOUS + "/adjustments";
    admin().post("/v1/admin/billing/periods/" + PREVIOUS + "/close", new JsonObject());
    assertEquals(409, admin().post(closedPath, new JsonObject().put("amount", "1.00").put("reason", "too late")).status());
  }

  /** Verifies that only owners see invoices, and only their tenant's. */
  @Test
  @Order(4)
  void onlyOwnersSeeTheirInvoices() {
    TenantFixture a = TenantFixture.create(app, "owner-a", pricedPlan("pro"));
    TenantFixture b = TenantFixture.create(app, "owner-b", pricedPlan("pro"));
    JsonObject aInvoice = app.api().as(a.ownerToken()).get("/v1/invoices/" + CURRENT).json();
    assertEquals(a.id(), aInvoice.getString("tenant_id"));

    for (String token : List.of(a.developerToken(), a.viewerToken(), a.key())) {
      assertEquals(403, app.api().as(token).get("/v1/invoices").status());
      assertEquals(403, app.api().as(token).get("/v1/invoices/" + CURRENT).status());
    }
    assertEquals(401, app.api().get("/v1/invoices").status());
    assertEquals(403, app.api().as(a.ownerToken()).post("/v1/admin/billing/periods/" + PREVIOUS + "/close", new JsonObject()).status());
    assertEquals(403, app.api().as(a.ownerToken()).get("/v1/admin/billing/export?period=" + PREVIOUS).status());

    JsonArray bList = app.api().as(b.ownerToken()).get("/v1/invoices").data();
    assertFalse(bList.stream().map(JsonObject.class::cast).anyMatch(i -> i.getString("id").equals(aInvoice.getString("id"))));
    assertEquals(404, app.api().as(b.ownerToken()).get("/v1/invoices/" + PREVIOUS).status()); // b did not exist then
    assertEquals(404, app.api().as(b.ownerToken()).get("/v1/invoices/" + CURRENT.next()).status());
    assertEquals(400, app.api().as(b.ownerToken()).get("/v1/invoices/2026-13").status());
  }

  /**
   * Verifies that the CloudEvents export streams a large period to a slow reader completely: every
   * event once, as the cursor is paused and resumed with the client's pace.
   */
  @Test
  @Order(5)
  void cloudEventsStreamToASlowReader() throws Exception {
    String tenant = UUID.randomUUID().toString();
    int count = 60_000;
    data().sql("""
        INSERT INTO usage_events (event_id, tenant_id, metric, quantity, occurred_at, model)
        SELECT gen_random_uuid(), ?::uuid, 'predictions', 1, ?::timestamptz + n * interval '10 milliseconds', 'bulk'
          FROM generate_series(1, ?) AS n""", tenant, java.sql.Timestamp.from(PREVIOUS.start()), count);
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            app.uri("/v1/admin/billing/export?period=" + PREVIOUS + "&format=cloudevents"))
        .header("Authorization", "Bearer " + app.adminToken()).GET().build();
    java.net.http.HttpResponse<java.io.InputStream> response = java.net.http.HttpClient.newHttpClient()
        .send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    int mine = 0;
    Set<String> ids = new HashSet<>();
    try (java.io.BufferedReader reader = new java.io.BufferedReader(
        new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
      Thread.sleep(500); // let the server fill the connection's buffers before anything is read
      String text;
      while ((text = reader.readLine()) != null) {
        JsonObject event = new JsonObject(text);
        assertTrue(ids.add(event.getString("id")), "each event once");
        if (event.getString("subject").equals(tenant)) {
          mine++;
        }
      }
    }
    assertEquals(count, mine);
  }

  private static JsonObject exportJson(BillingPeriod period) {
    Api.Response response = admin().get("/v1/admin/billing/export?period=" + period + "&format=json");
    assertEquals(200, response.status(), response.toString());
    assertTrue(response.header("Content-Type").startsWith("application/json"));
    return response.json();
  }

  private static Map<String, BigDecimal> exportTotals(JsonObject export) {
    Map<String, BigDecimal> totals = new HashMap<>();
    export.getJsonArray("rows").forEach(r -> totals.merge(((JsonObject) r).getString("tenant_id"),
        new BigDecimal(((JsonObject) r).getString("amount")), BigDecimal::add));
    return totals;
  }

  /** The documented JSON shape: every row has every column, with the documented types. */
  private static void assertJsonExportShape(JsonObject export) {
    assertEquals(PREVIOUS.toString(), export.getString("period"));
    assertNotNull(Instant.parse(export.getString("generated_at")));
    assertFalse(export.getJsonArray("rows").isEmpty());
    for (Object r : export.getJsonArray("rows")) {
      JsonObject row = (JsonObject) r;
      assertEquals(new HashSet<>(BillingExport.COLUMNS), row.fieldNames(), row.encode());
      assertEquals(PREVIOUS.toString(), row.getString("period"));
      UUID.fromString(row.getString("tenant_id"));
      UUID.fromString(row.getString("invoice_id"));
      assertEquals("final", row.getString("invoice_status"));
      assertTrue(Set.of("base_fee", "usage", "late_usage", "adjustment", "credit_brought_forward", "credit_carried_forward")
          .contains(row.getString("type")));
      assertTrue(row.getString("amount").matches("-?[0-9]+\\.[0-9]{6}"), row.encode());
      new BigDecimal(row.getString("quantity"));
      assertTrue(row.getValue("tiers") instanceof JsonArray);
      assertEquals(3, row.getString("currency").length());
    }
  }

  private static void assertCsvExport(BillingPeriod period, String acmeId, JsonObject acmeInvoice, String oddId, String oddName) {
    Api.Response response = admin().get("/v1/admin/billing/export?period=" + period + "&format=csv");
    assertEquals(200, response.status());
    assertTrue(response.header("Content-Type").startsWith("text/csv"), response.header("Content-Type"));
    String body = response.body();
    assertTrue(body.endsWith("\r\n"));
    List<List<String>> records = Rfc4180.parse(body);
    assertEquals(BillingExport.COLUMNS, records.get(0));
    int tenant = BillingExport.COLUMNS.indexOf("tenant_id");
    int name = BillingExport.COLUMNS.indexOf("tenant_name");
    int amount = BillingExport.COLUMNS.indexOf("amount");
    BigDecimal acmeTotal = BigDecimal.ZERO;
    boolean sawOdd = false;
    for (List<String> record : records.subList(1, records.size())) {
      assertEquals(BillingExport.COLUMNS.size(), record.size(), record.toString());
      if (record.get(tenant).equals(acmeId)) {
        acmeTotal = acmeTotal.add(new BigDecimal(record.get(amount)));
      }
      if (record.get(tenant).equals(oddId)) {
        assertEquals(oddName, record.get(name));
        sawOdd = true;
      }
    }
    assertTrue(sawOdd, body);
    assertTrue(body.contains("\"" + oddName.replace("\"", "\"\"") + "\""), "the name with a comma and quotes is quoted");
    assertEquals(0, acmeTotal.compareTo(new BigDecimal(acmeInvoice.getString("total"))));
  }

  private static void assertCloudEvents(BillingPeriod period, List<UUID> expectedIds, String acmeId) {
    Api.Response response = admin().get("/v1/admin/billing/export?period=" + period + "&format=cloudevents");
    assertEquals(200, response.status());
    assertTrue(response.header("Content-Type").startsWith("application/x-ndjson"));
    Set<String> ids = new HashSet<>();
    for (String text : response.body().split("\n")) {
      JsonObject event = new JsonObject(text);
      assertEquals("1.0", event.getString("specversion"));
      assertNotNull(event.getString("id"));
      assertTrue(event.getString("source").startsWith("/"));
      assertTrue(event.getString("type").startsWith("dev.aiaas.usage."));
      UUID.fromString(event.getString("subject"));
      Instant time = Instant.parse(event.getString("time"));
      assertTrue(!time.isBefore(period.start()) && time.isBefore(period.end()));
      assertEquals("application/json", event.getString("datacontenttype"));
      JsonObject payload = event.getJsonObject("data");
      assertEquals(event.getString("type"), "dev.aiaas.usage." + payload.getString("metric"));
      new BigDecimal(payload.getString("quantity"));
      assertTrue(payload.containsKey("model") && payload.containsKey("api_key_id"));
      assertNull(payload.getValue("api_key_id"));
      ids.add(event.getString("id"));
    }
    assertEquals(expectedIds.stream().map(UUID::toString).collect(java.util.stream.Collectors.toSet()), ids);
    assertTrue(response.body().contains(acmeId));
  }
}