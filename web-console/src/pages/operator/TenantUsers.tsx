import { api, unwrap } from "../../api/client";
import { UserForm } from "../../components/users/UserForm";
import { UserTable } from "../../components/users/UserTable";
import type { UserCalls } from "../../components/users/users";
import type { Tenant } from "./operator";

/** The operator's calls on one tenant's users (`/v1/admin/tenants/{id}/users`). */
function tenantUserCalls(id: string): UserCalls {
  const userPath = (userId: string) => ({ params: { path: { id, userId } } });
  return {
    queryKey: ["admin", "tenants", id, "users"],
    list: () => unwrap(api.GET("/v1/admin/tenants/{id}/users", { params: { path: { id } } })),
    create: (body) => unwrap(api.POST("/v1/admin/tenants/{id}/users", { params: { path: { id } }, body })),
    changeRole: (user, role) =>
      unwrap(api.PATCH("/v1/admin/tenants/{id}/users/{userId}", { ...userPath(user.id), body: { role } })),
    remove: (user) => unwrap(api.DELETE("/v1/admin/tenants/{id}/users/{userId}", userPath(user.id))),
  };
}

/** One tenant's console users: create, change role, remove (the API refuses to drop the last owner). */
export function TenantUsers({ tenant }: { tenant: Tenant }) {
  const calls = tenantUserCalls(tenant.id);
  return (
    <section className="card section" aria-labelledby="tenant-users-title">
      <h2 id="tenant-users-title">Users of {tenant.name}</h2>
      <UserForm
        calls={calls}
        defaultRole="owner"
        className="section"
        label={`Add a user to ${tenant.name}`}
        submitText="Add user"
        pendingText="Adding…"
      />
      <UserTable
        calls={calls}
        caption={`Users of ${tenant.name}`}
        empty="No users yet: add the tenant's first owner above."
        createdHeader="Created"
        removeText="Remove user"
      />
    </section>
  );
}
