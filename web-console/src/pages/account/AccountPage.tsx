import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable } from "../../components/DataTable";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { signOut, signOutEverywhere } from "../../session/session";
import { PasswordForm } from "./PasswordForm";

type Session = components["schemas"]["Session"];

export const SESSIONS_QUERY = ["sessions"] as const;

/** The signed-in user's own account: password, signing out (here or everywhere), live sessions. */
export default function AccountPage() {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: SESSIONS_QUERY,
    queryFn: () => unwrap(api.GET("/v1/auth/sessions")),
  });

  const revoke = (s: Session) =>
    unwrap(api.DELETE("/v1/auth/sessions/{id}", { params: { path: { id: s.id } } })).then(() =>
      queryClient.invalidateQueries({ queryKey: SESSIONS_QUERY }),
    );

  return (
    <>
      <h1>Account</h1>
      <PasswordForm onChanged={() => queryClient.invalidateQueries({ queryKey: SESSIONS_QUERY })} />
      <section className="section" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <p className="muted">Every browser or program signed in as you, most recently used first.</p>
        <QueryView
          query={sessions}
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty>No other sessions.</Empty>}
        >
          {(d) => (
            <DataTable<Session>
              caption="Your sessions"
              rows={d.data}
              rowKey={(s) => s.id}
              columns={[
                {
                  header: "Device",
                  cell: (s) => (
                    <>
                      {s.device} {s.current && <span className="badge badge-ok">this session</span>}
                    </>
                  ),
                },
                { header: "Address", cell: (s) => s.ip ?? "—" },
                { header: "Signed in", cell: (s) => formatDateTime(s.created_at) },
                { header: "Last used", cell: (s) => formatDateTime(s.last_used_at) },
                {
                  header: "Actions",
                  cell: (s) =>
                    s.current ? (
                      <button type="button" className="button button-small" onClick={() => void signOut()}>
                        Sign out<span className="visually-hidden"> of this session</span>
                      </button>
                    ) : (
                      <ConfirmDialog
                        trigger={
                          <button type="button" className="button button-danger button-small">
                            Revoke<span className="visually-hidden"> {s.device}</span>
                          </button>
                        }
                        title={`End the session on ${s.device}?`}
                        description="That browser or program is signed out at once and has to sign in again."
                        confirmLabel="End session"
                        onConfirm={() => revoke(s)}
                      />
                    ),
                },
              ]}
            />
          )}
        </QueryView>
      </section>
      <section className="section" aria-labelledby="everywhere-title">
        <h2 id="everywhere-title">Sign out everywhere</h2>
        <p>Ends every session of your account, this one included, on every device.</p>
        <ConfirmDialog
          trigger={
            <button type="button" className="button button-danger">
              Sign out everywhere
            </button>
          }
          title="Sign out everywhere?"
          description="Every browser and program signed in as you must sign in again, this one too. API keys keep working."
          confirmLabel="Sign out everywhere"
          onConfirm={signOutEverywhere}
        />
      </section>
    </>
  );
}
