import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { ROLES, type Role, type Tenant, type TenantUser } from "./operator";

/** One tenant's console users: create, change role, remove (the API refuses to drop the last owner). */
export function TenantUsers({ tenant }: { tenant: Tenant }) {
  const queryClient = useQueryClient();
  const key = ["admin", "tenants", tenant.id, "users"];
  const path = { params: { path: { id: tenant.id } } };
  const users = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET("/v1/admin/tenants/{id}/users", path)),
  });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: key });
  const userPath = (u: TenantUser) => ({ params: { path: { id: tenant.id, userId: u.id } } });

  const changeRole = useMutation({
    mutationFn: ({ user, role }: { user: TenantUser; role: Role }) =>
      unwrap(api.PATCH("/v1/admin/tenants/{id}/users/{userId}", { ...userPath(user), body: { role } })),
    onSettled: invalidate,
  });
  const remove = (user: TenantUser) =>
    unwrap(api.DELETE("/v1/admin/tenants/{id}/users/{userId}", userPath(user))).then(invalidate);

  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("owner");
  const create = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/v1/admin/tenants/{id}/users", { ...path, body: { email, password, role } })),
    onSuccess: () => {
      setEmail("");
      setPassword("");
      return invalidate();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <section className="card section" aria-labelledby="tenant-users-title">
      <h2 id="tenant-users-title">Users of {tenant.name}</h2>
      <form className="section" onSubmit={submit} aria-label={`Add a user to ${tenant.name}`}>
        <ProblemAlert error={create.error} />
        <div className="inline-fields">
          <Field label="Email" name="email" error={create.error}>
            <input
              type="email"
              required
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <Field label="First password" name="password" error={create.error} hint="10 characters or more">
            <input
              type="password"
              required
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <Field label="Role" name="role" error={create.error}>
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add user"}
        </button>
      </form>
      <ProblemAlert error={changeRole.error} />
      <QueryView
        query={users}
        isEmpty={(d) => d.data.length === 0}
        empty={<Empty>No users yet: add the tenant's first owner above.</Empty>}
      >
        {(d) => (
          <DataTable<TenantUser>
            caption={`Users of ${tenant.name}`}
            rows={d.data}
            rowKey={(u) => u.id}
            columns={[
              { header: "Email", cell: (u) => u.email },
              {
                header: "Role",
                cell: (u) => (
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={changeRole.isPending}
                    onChange={(e) => changeRole.mutate({ user: u, role: e.target.value as Role })}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                ),
              },
              { header: "Created", cell: (u) => formatDateTime(u.created_at) },
              { header: "Last sign-in", cell: (u) => formatDateTime(u.last_login_at, "never") },
              {
                header: "Actions",
                cell: (u) => (
                  <ConfirmDialog
                    trigger={
                      <button type="button" className="button button-danger button-small">
                        Remove<span className="visually-hidden"> {u.email}</span>
                      </button>
                    }
                    title={`Remove ${u.email}?`}
                    description="They are signed out at once on every gateway node and can no longer sign in. API keys they created keep working until revoked."
                    confirmLabel="Remove user"
                    onConfirm={() => remove(u)}
                  />
                ),
              },
            ]}
          />
        )}
      </QueryView>
    </section>
  );
}
