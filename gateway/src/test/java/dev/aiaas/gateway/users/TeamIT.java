package dev.aiaas.gateway.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verifies that owners manage their own tenant's people through {@code /v1/users}, and that the tenant audit log filters. */
class TeamIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final String PASSWORD = "a long enough password";

  private static JsonObject invite(TenantFixture tenant, String email, String role) {
    Api.Response created = app.api().as(tenant.ownerToken()).post("/v1/users",
        new JsonObject().put("email", email).put("password", PASSWORD).put("role", role));
    assertEquals(201, created.status(), created.toString());
    return created.json();
  }

  private static JsonObject member(TenantFixture tenant, String id) {
    Api.Response list = app.api().as(tenant.ownerToken()).get("/v1/users");
    assertEquals(200, list.status(), list.toString());
    return list.data().stream().map(JsonObject.class::cast).filter(u -> u.getString("id").equals(id)).findFirst().orElse(null);
  }

  /** Verifies that an invited developer signs in without owner rights, and that removing them ends their open session at once. */
  @Test
  void ownerInvitesADeveloperAndRemovesThem() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    String email = "new-dev-" + UUID.randomUUID() + "@acme.test";
    JsonObject invited = invite(acme, email, "developer");
    assertEquals("developer", invited.getString("role"));
    assertEquals(acme.id(), invited.getString("tenant_id"));
    assertNull(member(acme, invited.getString("id")).getValue("last_login_at"), "never signed in yet");

    String devToken = app.api().login(email, PASSWORD);
    Api dev = app.api().as(devToken);
    assertEquals(403, dev.get("/v1/invoices").status(), "a developer does not see billing");
    assertEquals(403, dev.post("/v1/users", new JsonObject().put("email", "x-" + email).put("password", PASSWORD).put("role", "owner"))
        .status(), "a developer cannot invite");
    assertEquals(403, dev.delete("/v1/users/" + invited.getString("id")).status());
    Api.Response seen = dev.get("/v1/users");
    assertEquals(200, seen.status(), "every member may read the team: " + seen);
    assertNotNull(member(acme, invited.getString("id")).getString("last_login_at"), "the sign-in is shown");
    assertEquals(200, dev.get("/v1/tenant").status());

    Api.Response removed = app.api().as(acme.ownerToken()).delete("/v1/users/" + invited.getString("id"));
    assertEquals(204, removed.status(), removed.toString());
    Api.Response refused = dev.get("/v1/tenant");
    assertEquals(401, refused.status(), "the removed user's access token is refused at once: " + refused);
    assertEquals(401, app.api().post("/v1/auth/login", new JsonObject().put("email", email).put("password", PASSWORD)).status());
    assertNull(member(acme, invited.getString("id")));
    assertEquals(404, app.api().as(acme.ownerToken()).delete("/v1/users/" + invited.getString("id")).status(), "gone is gone");

    Api.Response audited = app.api().as(acme.ownerToken()).get("/v1/audit?action=user.removed");
    assertEquals(200, audited.status(), audited.toString());
    assertEquals(1, audited.data().size(), audited.toString());
    assertEquals("user:" + invited.getString("id"), audited.data().getJsonObject(0).getString("target"));
    assertEquals(1, audited.data().getJsonObject(0).getJsonObject("details").getInteger("sessions_ended"));
  }

  /** Verifies that the only owner can be neither demoted nor removed, and that a demotion ends the demoted user's sessions. */
  @Test
  void theLastOwnerStays() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    Api owner = app.api().as(acme.ownerToken());
    String ownerId = app.api().as(acme.ownerToken()).get("/v1/whoami").json().getString("id");

    Api.Response demote = owner.patch("/v1/users/" + ownerId, new JsonObject().put("role", "developer"));
    assertEquals(409, demote.status(), demote.toString());
    assertEquals("urn:aiaas:problem:last-owner", demote.json().getString("type"));
    Api.Response remove = owner.delete("/v1/users/" + ownerId);
    assertEquals(409, remove.status(), remove.toString());
    assertEquals("urn:aiaas:problem:last-owner", remove.json().getString("type"));
    assertEquals("owner", member(acme, ownerId).getString("role"), "nothing changed");

    String second = "second-owner-" + UUID.randomUUID() + "@acme.test";
    JsonObject secondOwner = invite(acme, second, "developer");
    Api.Response promoted = owner.patch("/v1/users/" + secondOwner.getString("id"), new JsonObject().put("role", "owner"));
    assertEquals(200, promoted.status(), promoted.toString());
    assertEquals("owner", promoted.json().getString("role"));
    String secondToken = app.api().login(second, PASSWORD);
    assertEquals(200, app.api().as(secondToken).get("/v1/invoices").status(), "the new owner sees billing after signing in");

    Api.Response demoted = owner.patch("/v1/users/" + ownerId, new JsonObject().put("role", "viewer"));
    assertEquals(200, demoted.status(), "with a second owner the first may step down: " + demoted);
    assertEquals(401, owner.get("/v1/tenant").status(), "the demoted owner's token (which carries the old role) is refused");
    String viewerToken = app.api().login(acme.ownerEmail(), TenantFixture.PASSWORD);
    assertEquals(403, app.api().as(viewerToken).get("/v1/invoices").status(), "signed in again, the viewer has no owner rights");

    Api.Response badRole = app.api().as(secondToken).patch("/v1/users/" + ownerId, new JsonObject().put("role", "admin"));
    assertEquals(400, badRole.status(), badRole.toString());
    Api.Response unknownField = app.api().as(secondToken).patch("/v1/users/" + ownerId, new JsonObject().put("role", "owner").put("x", 1));
    assertEquals(400, unknownField.status(), unknownField.toString());
    Api.Response duplicate = app.api().as(secondToken).post("/v1/users",
        new JsonObject().put("email", second.toUpperCase()).put("password", PASSWORD).put("role", "viewer"));
    assertEquals(409, duplicate.status(), duplicate.toString());
    Api.Response shortPassword = app.api().as(secondToken).post("/v1/users",
        new JsonObject().put("email", "short-" + second).put("password", "short").put("role", "viewer"));
    assertEquals(400, shortPassword.status(), shortPassword.toString());
  }

  /** Verifies that an owner can neither see nor change nor remove another tenant's users (404, nothing changes). */
  @Test
  void tenantsCannotTouchEachOthersPeople() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    TenantFixture globex = TenantFixture.create(app, "globex");
    String acmeOwnerId = app.api().as(acme.ownerToken()).get("/v1/whoami").json().getString("id");
    JsonObject acmeDev = invite(acme, "iso-" + UUID.randomUUID() + "@acme.test", "developer");

    Api globexOwner = app.api().as(globex.ownerToken());
    JsonArray seen = globexOwner.get("/v1/users").data();
    assertEquals(3, seen.size(), "only globex's own owner, developer and viewer: " + seen);
    seen.forEach(u -> assertEquals(globex.id(), ((JsonObject) u).getString("tenant_id")));

    assertEquals(404, globexOwner.patch("/v1/users/" + acmeDev.getString("id"), new JsonObject().put("role", "owner")).status());
    assertEquals(404, globexOwner.delete("/v1/users/" + acmeDev.getString("id")).status());
    assertEquals(404, globexOwner.delete("/v1/users/" + acmeOwnerId).status());
    assertEquals(404, globexOwner.patch("/v1/users/" + UUID.randomUUID(), new JsonObject().put("role", "owner")).status());
    assertEquals("developer", member(acme, acmeDev.getString("id")).getString("role"), "acme's user is untouched");
    assertEquals(200, app.api().as(acme.ownerToken()).get("/v1/tenant").status(), "acme's owner still signed in");
    assertEquals(400, globexOwner.delete("/v1/users/not-a-uuid").status());
    assertEquals(403, app.api().as(app.adminToken()).get("/v1/users").status(), "the operator uses /v1/admin/tenants/{id}/users");
  }

  /** Verifies that the tenant audit log filters by actor, action and time, pages with next_before, and stays in the tenant. */
  @Test
  void auditFiltersAndPages() {
    TenantFixture acme = TenantFixture.create(app, "acme");
    TenantFixture globex = TenantFixture.create(app, "globex");
    Instant start = Instant.now();
    for (int i = 0; i < 3; i++) {
      invite(acme, "audit-" + i + "-" + UUID.randomUUID() + "@acme.test", "viewer");
    }
    invite(globex, "audit-g-" + UUID.randomUUID() + "@globex.test", "viewer");
    String ownerId = app.api().as(acme.ownerToken()).get("/v1/whoami").json().getString("id");
    Api owner = app.api().as(acme.ownerToken());

    Api.Response first = owner.get("/v1/audit?action=user.created&actor_id=" + ownerId + "&limit=2");
    assertEquals(200, first.status(), first.toString());
    assertEquals(2, first.data().size());
    long next = first.json().getLong("next_before");
    Api.Response second = owner.get("/v1/audit?action=user.created&actor_id=" + ownerId + "&limit=2&before=" + next);
    assertEquals(1, second.data().size(), "three invitations by the owner, the admin's fixture users are by another actor: " + second);
    assertNull(second.json().getValue("next_before"));
    for (JsonArray page : List.of(first.data(), second.data())) {
      page.forEach(e -> {
        assertEquals("user.created", ((JsonObject) e).getString("action"));
        assertEquals(ownerId, ((JsonObject) e).getString("actor_id"));
      });
    }

    Api.Response all = owner.get("/v1/audit?action=user.created");
    assertEquals(6, all.data().size(), "three by the operator, three by the owner; none of globex's: " + all);
    Api.Response window = owner.get("/v1/audit?action=user.created&from=" + start);
    assertEquals(3, window.data().size(), window.toString());
    Api.Response past = owner.get("/v1/audit?to=" + start);
    assertTrue(past.data().stream().map(JsonObject.class::cast).noneMatch(e -> e.getString("actor_id") != null
        && e.getString("actor_id").equals(ownerId) && e.getString("action").equals("user.created")), past.toString());
    assertEquals(400, owner.get("/v1/audit?actor_id=nope").status());
    assertEquals(400, owner.get("/v1/audit?from=" + Instant.now() + "&to=" + start).status());
    assertFalse(owner.get("/v1/audit?action=user.created&actor_id=" + UUID.randomUUID()).data().size() > 0);
  }
}
