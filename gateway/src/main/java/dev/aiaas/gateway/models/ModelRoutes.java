package dev.aiaas.gateway.models;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import java.util.Optional;

/** {@code /v1/models}: the registry, versions with their metrics; exporting versions; deleting versions and models. */
public final class ModelRoutes {

  private final ModelStore models;
  private final ModelService service;
  private final ModelExport export;

  public ModelRoutes(ModelStore models, ModelService service, ModelExport export) {
    this.models = models;
    this.service = service;
    this.export = export;
  }

  public void register(Operations operations) {
    operations
        .handle("listModels", Access.requires(Permission.READ), ctx -> models.list(Principals.of(ctx).tenant())
            .map(Reply::list))
        .handle("getModel", Access.requires(Permission.READ), ctx -> models.byName(Principals.of(ctx).tenant(), ctx.pathParam("name"))
            .map(found -> Reply.ok(found.orElseThrow(() -> ApiException.notFound("no model named '" + ctx.pathParam("name") + "'")))))
        .handle("deleteModel", Access.requires(Permission.TRAIN), ctx -> service.delete(Principals.of(ctx).tenant(), ctx.pathParam("name"),
                Optional.empty(), AuditLog.event(ctx, Principals.of(ctx), "model.deleted"))
            .map(v -> Reply.noContent()))
        .handle("deleteModelVersion", Access.requires(Permission.TRAIN), ctx -> service.delete(Principals.of(ctx).tenant(),
                ctx.pathParam("name"), Optional.of(Integer.parseInt(ctx.pathParam("version"))),
                AuditLog.event(ctx, Principals.of(ctx), "model.version_deleted"))
            .map(v -> Reply.noContent()))
        .raw("exportModelVersion", Access.requires(Permission.READ), export::handle);
  }
}
