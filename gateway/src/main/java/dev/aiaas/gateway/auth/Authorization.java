package dev.aiaas.gateway.auth;

import dev.aiaas.gateway.http.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** The permission check of an operation: one place for roles and scopes alike. */
public final class Authorization {

  private Authorization() {}

  public static Handler<RoutingContext> requiring(Permission permission) {
    return ctx -> {
      Principal principal = Principals.of(ctx);
      if (principal.has(permission)) {
        ctx.next();
      } else {
        ctx.fail(ApiException.forbidden("insufficient-permission", explain(principal, permission)));
      }
    };
  }

  private static String explain(Principal principal, Permission permission) {
    String needed = permission.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return switch (principal.kind()) {
      case API_KEY -> "this API key lacks the scope for this operation (" + needed + ")";
      case USER -> "your role does not allow this operation (" + needed + ")";
      case PLATFORM_ADMIN -> "the platform admin has no tenant; this operation needs a tenant's " + needed + " permission";
    };
  }
}
