import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { DataTable } from "../../components/DataTable";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { CreateKeyForm } from "./CreateKeyForm";

type Key = components["schemas"]["Key"];

export const KEYS_QUERY = ["keys"] as const;

/** The tenant's API keys: list, create (secret shown once) and revoke. */
export default function KeysPage() {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: KEYS_QUERY, queryFn: () => unwrap(api.GET("/v1/keys")) });

  const revoke = (key: Key) =>
    unwrap(api.DELETE("/v1/keys/{id}", { params: { path: { id: key.id } } })).then(() =>
      queryClient.invalidateQueries({ queryKey: KEYS_QUERY }),
    );

  return (
    <>
      <h1>API keys</h1>
      <CreateKeyForm />
      <section className="section" aria-labelledby="keys-list">
        <h2 id="keys-list">Keys</h2>
        <QueryView
          query={keys}
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty>No API keys yet. Create one above to call the API from a program.</Empty>}
        >
          {(d) => (
            <DataTable<Key>
              caption="API keys"
              rows={d.data}
              rowKey={(k) => k.id}
              columns={[
                { header: "Name", cell: (k) => k.name },
                { header: "Prefix", cell: (k) => <code>{k.prefix}</code> },
                { header: "Scopes", cell: (k) => k.scopes.join(", ") },
                { header: "Created", cell: (k) => formatDateTime(k.created_at) },
                { header: "Last used", cell: (k) => formatDateTime(k.last_used_at, "never") },
                { header: "Expires", cell: (k) => formatDateTime(k.expires_at, "never") },
                {
                  header: "Status",
                  cell: (k) =>
                    k.revoked_at ? (
                      <span className="badge badge-danger">revoked {formatDateTime(k.revoked_at)}</span>
                    ) : k.expires_at && new Date(k.expires_at) < new Date() ? (
                      <span className="badge badge-warn">expired</span>
                    ) : (
                      <span className="badge badge-ok">active</span>
                    ),
                },
                {
                  header: "Actions",
                  cell: (k) =>
                    k.revoked_at ? null : (
                      <ConfirmDialog
                        trigger={
                          <button type="button" className="button button-danger button-small">
                            Revoke<span className="visually-hidden"> {k.name}</span>
                          </button>
                        }
                        title={`Revoke “${k.name}”?`}
                        description="Programs using this key are refused from now on, on every gateway node. This cannot be undone."
                        confirmLabel="Revoke key"
                        onConfirm={() => revoke(k)}
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
