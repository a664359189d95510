package dev.aiaas.gateway.billing;

import dev.aiaas.gateway.plans.Plan;
import java.time.Instant;

/** The time {@code [from, to)} within one period during which a tenant was on {@code plan}. */
public record PlanSegment(Plan plan, Instant from, Instant to) {

  public long seconds() {
    return to.getEpochSecond() - from.getEpochSecond();
  }
}
