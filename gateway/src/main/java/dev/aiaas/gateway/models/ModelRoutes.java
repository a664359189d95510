package dev.aiaas.gateway.models;

import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;

/** {@code GET /v1/models} and {@code GET /v1/models/{name}}: the registry, versions with their metrics. */
public final class ModelRoutes {

  private final ModelStore models;

  public ModelRoutes(ModelStore models) {
    this.models = models;
  }

  public void register(Operations operations) {
    operations
        .handle("listModels", Access.requires(Permission.READ), ctx -> models.list(Principals.of(ctx).tenant())
            .map(Reply::list))
        .handle("getModel", Access.requires(Permission.READ), ctx -> models.byName(Principals.of(ctx).tenant(), ctx.pathParam("name"))
            .map(found -> Reply.ok(found.orElseThrow(() -> ApiException.notFound("no model named '" + ctx.pathParam("name") + "'")))));
  }
}
