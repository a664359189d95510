package dev.aiaas.gateway.http;

import io.vertx.ext.web.RoutingContext;

/**
 * A dedicated, cheaper check of one operation's request, run before the generic OpenAPI validator:
 * a request it passes goes straight to the handler; any other goes through the generic validator,
 * so a refused request gets exactly the 400 it always got. It must pass only requests the contract
 * accepts. For hot operations whose bodies (large arrays) cost the schema walk more than the work.
 */
@FunctionalInterface
public interface ContractCheck {

  /** True only if the request certainly satisfies its operation's contract; false when unsure. */
  boolean certainlyValid(RoutingContext ctx);
}
