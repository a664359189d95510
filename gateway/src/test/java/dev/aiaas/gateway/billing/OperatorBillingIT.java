package dev.aiaas.gateway.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.metering.Metric;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's billing pages' API: the plan price preview and the list of billing periods. The
 * period test closes a period (closing is global), so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorBillingIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final BillingPeriod CURRENT = BillingPeriod.containing(Instant.now());
  private static final BillingPeriod PREVIOUS = CURRENT.previous();
  private static final BillingPeriod EARLIER = PREVIOUS.previous();

  private static BillingData data;

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

  private static JsonObject tieredPlan(String name) {
    return new JsonObject().put("name", name).put("currency", "USD").put("base_fee", "49.00")
        .put("prices", new JsonObject()
            .put("predictions", new JsonObject().put("included", 1000).put("tiers", new JsonArray()
                .add(new JsonObject().put("up_to", 10000).put("unit_price", "0.0010"))
                .add(new JsonObject().putNull("up_to").put("unit_price", "0.0008"))))
            .put("training_seconds", new JsonObject().put("unit_price", "0.0020")));
  }

  /**
   * Verifies that the preview of some usage under a plan, by id or as an unsaved body, has the
   * total and line amounts of the invoice the same usage produces for a tenant on that plan.
   */
  @Test
  @Order(1)
  void previewEqualsTheInvoiceOfTheSameUsage() {
    String planName = "tiered-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Response plan = admin().post("/v1/admin/plans", tieredPlan(planName));
    assertEquals(201, plan.status(), plan::toString);
    TenantFixture tenant = TenantFixture.create(app, "preview", planName);
    data().backdatePlan(tenant.id(), PREVIOUS.start());
    Instant at = PREVIOUS.start().plus(Duration.ofDays(3));
    data().usage(tenant.id(), Metric.PREDICTIONS, at, "7000", "5000");
    data().usage(tenant.id(), Metric.TRAINING_SECONDS, at, "3600");

    JsonObject invoice = admin().get("/v1/admin/tenants/" + tenant.id() + "/invoices/" + PREVIOUS).json();
    JsonObject usage = new JsonObject().put("predictions", "12000").put("training_seconds", "3600");
    Api.Response byId = admin().post("/v1/admin/plans/preview",
        new JsonObject().put("plan_id", plan.json().getString("id")).put("usage", usage));
    Api.Response byBody = admin().post("/v1/admin/plans/preview",
        new JsonObject().put("plan", tieredPlan("unsaved")).put("usage", usage));

    assertEquals(200, byId.status(), byId::toString);
    assertEquals(200, byBody.status(), byBody::toString);
    // 49 base fee + 9000 x 0.001 + 2000 x 0.0008 + 3600 x 0.002
    assertDecimal("66.800000", invoice.getString("total"));
    assertDecimal(invoice.getString("total"), byId.json().getString("total"));
    assertDecimal(invoice.getString("total"), byBody.json().getString("total"));
    assertEquals(amounts(invoice), amounts(byId.json()));
    assertEquals(amounts(invoice), amounts(byBody.json()));
    assertEquals("USD", byId.json().getString("currency"));
    JsonObject predictions = line(byId.json(), "predictions");
    assertEquals(3, predictions.getJsonArray("tiers").size(), predictions::encode);
    assertEquals(0, admin().get("/v1/admin/plans").data().stream()
        .filter(p -> ((JsonObject) p).getString("name").equals("unsaved")).count(), "a preview stores no plan");
  }

  /**
   * Verifies that a preview request naming no plan, both, an unknown plan, an invalid plan body or
   * an unbilled metric is a 400 naming the field (inside the body: {@code plan.<field>}).
   */
  @Test
  @Order(2)
  void invalidPreviewsAreRejectedNamingTheField() {
    JsonObject usage = new JsonObject().put("predictions", "1");
    Map<String, JsonObject> cases = new HashMap<>();
    cases.put("plan", new JsonObject().put("usage", usage));
    cases.put("plan ", new JsonObject().put("plan", tieredPlan("x")).put("plan_id", UUID.randomUUID().toString()).put("usage", usage));
    cases.put("plan_id", new JsonObject().put("plan_id", UUID.randomUUID().toString()).put("usage", usage));
    cases.put("usage", new JsonObject().put("plan", tieredPlan("x")).put("usage", new JsonObject().put("gpus", "1")));
    cases.put("usage.predictions", new JsonObject().put("plan", tieredPlan("x")).put("usage", new JsonObject().put("predictions", "-1")));
    JsonObject descending = tieredPlan("x");
    descending.getJsonObject("prices").getJsonObject("predictions").getJsonArray("tiers").getJsonObject(0).put("up_to", 500);
    cases.put("plan.prices.predictions.tiers[0].up_to", new JsonObject().put("plan", descending).put("usage", usage));
    cases.forEach((field, body) -> {
      Api.Response response = admin().post("/v1/admin/plans/preview", body);
      assertEquals(400, response.status(), () -> field + ": " + response);
      assertTrue(response.body().contains("\"" + field.trim()), () -> field + ": " + response);
    });
  }

  /** Verifies that a tenant's owner gets 403 from the preview and the period list. */
  @Test
  @Order(3)
  void nonAdminsAreForbidden() {
    TenantFixture tenant = TenantFixture.create(app, "forbidden");
    Api owner = app.api().as(tenant.ownerToken());
    assertEquals(403, owner.post("/v1/admin/plans/preview",
        new JsonObject().put("plan", tieredPlan("x")).put("usage", new JsonObject())).status());
    assertEquals(403, owner.get("/v1/admin/billing/periods").status());
  }

  /**
   * Verifies that the periods run from the first tenant's month to the current one with their
   * states, that closing an ended period turns it closed, and that each period's totals are the sum
   * of its tenants' invoices (drafts while open, final once closed).
   */
  @Test
  @Order(4)
  void periodsHaveStatesAndTheirInvoicesTotals() {
    TenantFixture early = TenantFixture.create(app, "early");
    data().backdatePlan(early.id(), EARLIER.start().plus(Duration.ofDays(1)));
    data().usage(early.id(), Metric.PREDICTIONS, EARLIER.start().plus(Duration.ofDays(2)), "10");

    JsonArray before = admin().get("/v1/admin/billing/periods").data();
    assertEquals(CURRENT.toString(), period(before, 0).getString("period"), before::encode);
    assertEquals("open", state(before, CURRENT));
    assertEquals("ended", state(before, PREVIOUS));
    assertEquals("ended", state(before, EARLIER));
    assertEquals(EARLIER.toString(), period(before, before.size() - 1).getString("period"), "the first tenant's month is the first");
    assertEquals("draft", find(before, EARLIER).getString("invoice_status"));
    assertTotalsAreInvoices(before, PREVIOUS);
    assertTotalsAreInvoices(before, EARLIER);

    assertEquals(200, admin().post("/v1/admin/billing/periods/" + EARLIER + "/close", new JsonObject()).status());

    JsonArray after = admin().get("/v1/admin/billing/periods").data();
    JsonObject closed = find(after, EARLIER);
    assertEquals("closed", closed.getString("state"));
    assertEquals("final", closed.getString("invoice_status"));
    assertTrue(closed.getString("closed_at") != null, closed::encode);
    assertNull(find(after, PREVIOUS).getString("closed_at"));
    assertTotalsAreInvoices(after, EARLIER);
    assertEquals(find(before, EARLIER).getJsonArray("totals"), closed.getJsonArray("totals"), "closing keeps the totals");
  }

  private static void assertTotalsAreInvoices(JsonArray periods, BillingPeriod period) {
    JsonObject row = find(periods, period);
    Map<String, BigDecimal> expected = new HashMap<>();
    int count = 0;
    for (Object t : admin().get("/v1/admin/tenants").data()) {
      Api.Response invoice = admin().get("/v1/admin/tenants/" + ((JsonObject) t).getString("id") + "/invoices/" + period);
      if (invoice.status() == 200) {
        count++;
        expected.merge(invoice.json().getString("currency"), new BigDecimal(invoice.json().getString("total")), BigDecimal::add);
      }
    }
    Map<String, BigDecimal> actual = new HashMap<>();
    row.getJsonArray("totals").forEach(t -> actual.put(((JsonObject) t).getString("currency"),
        new BigDecimal(((JsonObject) t).getString("total")).stripTrailingZeros()));
    expected.replaceAll((c, v) -> v.stripTrailingZeros());
    assertEquals(expected, actual, row::encode);
    assertEquals(count, row.getInteger("invoices"), row::encode);
    assertTrue(count > 0, row::encode);
  }

  private static JsonObject period(JsonArray periods, int i) {
    return periods.getJsonObject(i);
  }

  private static JsonObject find(JsonArray periods, BillingPeriod period) {
    return periods.stream().map(JsonObject.class::cast).filter(p -> p.getString("period").equals(period.toString())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + period + " in " + periods.encode()));
  }

  private static String state(JsonArray periods, BillingPeriod period) {
    return find(periods, period).getString("state");
  }

  private static Map<String, BigDecimal> amounts(JsonObject invoice) {
    Map<String, BigDecimal> amounts = new HashMap<>();
    invoice.getJsonArray("lines").forEach(l -> {
      JsonObject line = (JsonObject) l;
      amounts.merge(line.getString("type") + ":" + line.getString("metric"), new BigDecimal(line.getString("amount")), BigDecimal::add);
    });
    amounts.replaceAll((k, v) -> v.stripTrailingZeros());
    return amounts;
  }

  private static JsonObject line(JsonObject invoice, String metric) {
    return invoice.getJsonArray("lines").stream().map(JsonObject.class::cast).filter(l -> metric.equals(l.getString("metric")))
        .findFirst().orElseThrow();
  }

  private static void assertDecimal(String expected, String actual) {
    assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual)), () -> expected + " vs " + actual);
  }
}
