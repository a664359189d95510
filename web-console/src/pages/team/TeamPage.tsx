import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable } from "../../components/DataTable";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { InviteForm } from "./InviteForm";
import { ROLES, USERS_QUERY, type Role, type User } from "./users";

/** The tenant's people (owners only): role and last sign-in; invite, change role, remove. */
export default function TeamPage() {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: USERS_QUERY, queryFn: () => unwrap(api.GET("/v1/users")) });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: USERS_QUERY });

  const changeRole = useMutation({
    mutationFn: ({ user, role }: { user: User; role: Role }) =>
      unwrap(api.PATCH("/v1/users/{id}", { params: { path: { id: user.id } }, body: { role } })),
    onSettled: invalidate,
  });

  const remove = (user: User) =>
    unwrap(api.DELETE("/v1/users/{id}", { params: { path: { id: user.id } } })).then(invalidate);

  return (
    <>
      <h1>Team</h1>
      <InviteForm />
      <section className="section" aria-labelledby="team-list">
        <h2 id="team-list">Members</h2>
        {/* A refused role change (the last owner, 409) is shown as the API words it. */}
        <ProblemAlert error={changeRole.error} />
        <QueryView
          query={users}
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty>No members yet. Invite someone above.</Empty>}
        >
          {(d) => (
            <DataTable<User>
              caption="Members"
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
                { header: "Member since", cell: (u) => formatDateTime(u.created_at) },
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
                      confirmLabel="Remove member"
                      onConfirm={() => remove(u)}
                    />
                  ),
                },
              ]}
            />
          )}
        </QueryView>
      </section>
    </>
  );
}
