package dev.aiaas.gateway.plans;

import io.vertx.sqlclient.Row;

/** Reading a plan out of a row that joins the plans table (e.g. with tenants). */
public final class PlanRows {

  private PlanRows() {}

  /** The plan columns of alias {@code p}, named as {@link Plan#fromRow} reads them. */
  public static String columns(String p) {
    return String.join(", ", java.util.Arrays.stream(new String[] {"id", "name", "currency", "base_fee", "rate_per_second", "rate_burst",
        "limits", "soft_limits", "prices", "created_at", "updated_at"}).map(c -> p + "." + c + " AS plan_" + c).toList());
  }

  public static Plan plan(Row row) {
    return Plan.fromRow(row, "plan_");
  }
}
