package dev.aiaas.gateway.tenants;

import dev.aiaas.gateway.plans.Plan;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant with the plan it is on: what every request of the tenant is checked against. */
public record Tenant(UUID id, String name, String status, Plan plan, OffsetDateTime createdAt) {

  public static final String ACTIVE = "active";
  public static final String SUSPENDED = "suspended";
  public static final String ERASED = "erased";

  public boolean suspended() {
    return SUSPENDED.equals(status) || ERASED.equals(status);
  }

  /** The admin API shape: the plan by name. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("plan", plan.name())
        .put("status", status)
        .put("created_at", createdAt.toInstant().toString());
  }
}
