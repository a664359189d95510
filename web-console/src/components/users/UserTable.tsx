import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ConfirmDialog } from "../ConfirmDialog";
import { DataTable } from "../DataTable";
import { ProblemAlert } from "../ProblemAlert";
import { Empty, QueryView } from "../States";
import { formatDateTime } from "../../lib/format";
import { RoleSelect } from "./RoleSelect";
import type { Role, User, UserCalls } from "./users";

/**
 * Console users with role (changeable), creation and last sign-in, and a remove button. A refused
 * role change (the last owner, 409) is shown as the API words it.
 */
export function UserTable({
  calls,
  caption,
  empty,
  createdHeader,
  removeText,
}: {
  calls: UserCalls;
  caption: string;
  empty: ReactNode;
  createdHeader: string;
  /** The confirm button of the remove dialog. */
  removeText: string;
}) {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: calls.queryKey, queryFn: calls.list });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: calls.queryKey });
  const changeRole = useMutation({
    mutationFn: ({ user, role }: { user: User; role: Role }) => calls.changeRole(user, role),
    onSettled: invalidate,
  });

  return (
    <>
      <ProblemAlert error={changeRole.error} />
      <QueryView query={users} isEmpty={(d) => d.data.length === 0} empty={<Empty>{empty}</Empty>}>
        {(d) => (
          <DataTable<User>
            caption={caption}
            rows={d.data}
            rowKey={(u) => u.id}
            columns={[
              { header: "Email", cell: (u) => u.email },
              {
                header: "Role",
                cell: (u) => (
                  <RoleSelect
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={changeRole.isPending}
                    onRole={(role) => changeRole.mutate({ user: u, role })}
                  />
                ),
              },
              { header: createdHeader, cell: (u) => formatDateTime(u.created_at) },
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
                    confirmLabel={removeText}
                    onConfirm={() => calls.remove(u).then(invalidate)}
                  />
                ),
              },
            ]}
          />
        )}
      </QueryView>
    </>
  );
}
