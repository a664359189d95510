package dev.aiaas.gateway.export;

import dev.aiaas.gateway.audit.AuditLog;
import dev.aiaas.gateway.auth.Permission;
import dev.aiaas.gateway.auth.Principal;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.Access;
import dev.aiaas.gateway.http.ChunkedDownload;
import dev.aiaas.gateway.http.Operations;
import dev.aiaas.gateway.http.Reply;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** A tenant owner's export of all the tenant's data: {@code /v1/tenant/export(s)}. */
public final class TenantExportRoutes {

  private final TenantExports exports;

  public TenantExportRoutes(TenantExports exports) {
    this.exports = exports;
  }

  public void register(Operations operations) {
    Access owner = Access.requires(Permission.OWN_TENANT);
    operations
        .handle("createTenantExport", owner, ctx -> {
          Principal principal = Principals.of(ctx);
          return exports.request(principal.tenant(), principal.userId(), AuditLog.event(ctx, principal, "tenant.export_requested"))
              .map(Reply::accepted);
        })
        .handle("getTenantExport", owner, ctx -> exports.get(Principals.of(ctx).tenant(), id(ctx)).map(Reply::ok))
        .raw("downloadTenantExport", owner, this::download);
  }

  /** Streams the zip chunk by chunk from PostgreSQL, waiting for the client when its buffer is full. */
  private void download(RoutingContext ctx) {
    Principal principal = Principals.of(ctx);
    UUID id = id(ctx);
    exports.downloadable(principal.tenant(), id, AuditLog.event(ctx, principal, "tenant.export_downloaded"))
        .onFailure(ctx::fail)
        .onSuccess(job -> {
          ctx.response()
              .putHeader("Content-Type", "application/zip")
              .putHeader("Content-Length", String.valueOf(job.getLong("bytes")))
              .putHeader("Content-Disposition", "attachment; filename=\"tenant-export-" + id + ".zip\"");
          ChunkedDownload.send(ctx, seq -> exports.chunk(principal.tenant(), id, seq));
        });
  }

  private static UUID id(RoutingContext ctx) {
    return UUID.fromString(ctx.pathParam("id"));
  }
}
