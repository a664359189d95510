import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Empty, QueryView } from "../../components/States";
import { formatMoney, formatQuantity, metricLabel } from "../../lib/format";
import { PLANS_QUERY, TENANTS_QUERY, type Tenant, type TenantPatch } from "./operator";
import { TenantUsers } from "./TenantUsers";
import "./operator.css";

const PAGE = 50;

/**
 * The operator's tenants: plan, status, this month's usage and draft; create, change plan, suspend,
 * erase, users.
 */
export default function TenantsPage() {
  const queryClient = useQueryClient();
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Tenant | null>(null);
  const tenants = useQuery({
    queryKey: [...TENANTS_QUERY, offset],
    queryFn: () => unwrap(api.GET("/v1/admin/tenants", { params: { query: { limit: PAGE, offset } } })),
    placeholderData: keepPreviousData,
  });
  const plans = useQuery({ queryKey: PLANS_QUERY, queryFn: () => unwrap(api.GET("/v1/admin/plans")) });
  const planNames = plans.data?.data.map((p) => p.name) ?? [];
  const invalidate = () => queryClient.invalidateQueries({ queryKey: TENANTS_QUERY });

  const update = useMutation({
    mutationFn: ({ tenant, body }: { tenant: Tenant; body: TenantPatch }) =>
      unwrap(api.PATCH("/v1/admin/tenants/{id}", { params: { path: { id: tenant.id } }, body })),
    onSettled: invalidate,
  });
  const setStatus = (tenant: Tenant, status: NonNullable<TenantPatch["status"]>) =>
    update.mutateAsync({ tenant, body: { status } });
  // The dialog shows a failed erasure itself; the list is refreshed either way.
  const erase = (tenant: Tenant, confirm: string) =>
    unwrap(
      api.DELETE("/v1/admin/tenants/{id}", { params: { path: { id: tenant.id } }, body: { confirm } }),
    ).finally(() => {
      if (selected?.id === tenant.id) setSelected(null);
      return invalidate();
    });

  return (
    <>
      <h1>Tenants</h1>
      <CreateTenantForm planNames={planNames} onCreated={invalidate} />
      <section className="section" aria-labelledby="tenants-list">
        <h2 id="tenants-list">All tenants</h2>
        <ProblemAlert error={update.error} />
        <QueryView
          query={tenants}
          isEmpty={(d) => d.data.length === 0 && offset === 0}
          empty={<Empty>No tenants yet. Create the first one above.</Empty>}
        >
          {(d) => (
            <>
              <DataTable<Tenant>
                caption="Tenants"
                rows={d.data}
                rowKey={(t) => t.id}
                columns={[
                  { header: "Name", cell: (t) => t.name },
                  {
                    header: "Plan",
                    cell: (t) => (
                      <select
                        aria-label={`Plan of ${t.name}`}
                        value={t.plan}
                        disabled={update.isPending || t.status === "erased"}
                        onChange={(e) => update.mutate({ tenant: t, body: { plan: e.target.value } })}
                      >
                        {(planNames.includes(t.plan) ? planNames : [t.plan, ...planNames]).map((p) => (
                          <option key={p} value={p}>
                            {p}
                          </option>
                        ))}
                      </select>
                    ),
                  },
                  {
                    header: "Status",
                    cell: (t) => (
                      <span
                        className={
                          t.status === "active"
                            ? "badge badge-ok"
                            : t.status === "erased"
                              ? "badge"
                              : "badge badge-danger"
                        }
                      >
                        {t.status}
                      </span>
                    ),
                  },
                  { header: "Usage this month", cell: (t) => <UsageSummary tenant={t} /> },
                  {
                    header: "Draft total",
                    numeric: true,
                    cell: (t) =>
                      t.draft_invoice ? (
                        <span data-testid="draft-total" data-amount={t.draft_invoice.total}>
                          {formatMoney(t.draft_invoice.total, t.draft_invoice.currency)}
                        </span>
                      ) : (
                        "—"
                      ),
                  },
                  {
                    header: "Actions",
                    cell: (t) =>
                      t.status === "erased" ? (
                        // Only its usage, invoices and audit trail remain: nothing left to act on.
                        <span className="muted">none (erased)</span>
                      ) : (
                        <div className="actions">
                          <button
                            type="button"
                            className="button button-small"
                            aria-pressed={selected?.id === t.id}
                            onClick={() => setSelected(selected?.id === t.id ? null : t)}
                          >
                            Users<span className="visually-hidden"> of {t.name}</span>
                          </button>
                          {t.status === "active" ? (
                            <ConfirmDialog
                              trigger={
                                <button type="button" className="button button-danger button-small">
                                  Suspend<span className="visually-hidden"> {t.name}</span>
                                </button>
                              }
                              title={`Suspend ${t.name}?`}
                              description="Every call of its users and API keys is refused (403 tenant-suspended) on every gateway node within a second, until you resume it. Nothing is deleted."
                              confirmLabel="Suspend tenant"
                              onConfirm={() => setStatus(t, "suspended")}
                            />
                          ) : (
                            <ConfirmDialog
                              trigger={
                                <button type="button" className="button button-small">
                                  Resume<span className="visually-hidden"> {t.name}</span>
                                </button>
                              }
                              title={`Resume ${t.name}?`}
                              description="Its users and API keys work again at once."
                              confirmLabel="Resume tenant"
                              onConfirm={() => setStatus(t, "active")}
                            />
                          )}
                          {t.status === "suspended" && (
                            <ConfirmDialog
                              trigger={
                                <button type="button" className="button button-danger button-small">
                                  Erase<span className="visually-hidden"> {t.name}</span>
                                </button>
                              }
                              title={`Erase ${t.name} for good?`}
                              description="Deletes its datasets, models, deployments, jobs and results, API keys, users and sessions, and destroys its data key; this cannot be undone. Its usage, invoices and audit trail are kept, with its users' emails replaced by a pseudonym. Export its data first if it is needed."
                              confirmLabel="Erase tenant"
                              typeToConfirm={t.name}
                              onConfirm={(typed) => erase(t, typed)}
                            />
                          )}
                        </div>
                      ),
                  },
                ]}
              />
              <div className="pager">
                <button
                  type="button"
                  className="button button-small"
                  disabled={offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE))}
                >
                  Previous page
                </button>
                <button
                  type="button"
                  className="button button-small"
                  disabled={d.next_offset === null}
                  onClick={() => d.next_offset !== null && setOffset(d.next_offset)}
                >
                  Next page
                </button>
              </div>
            </>
          )}
        </QueryView>
      </section>
      {selected && <TenantUsers key={selected.id} tenant={selected} />}
    </>
  );
}

/** This month's metered quantities, one per line. */
function UsageSummary({ tenant }: { tenant: Tenant }) {
  const metrics = Object.entries(tenant.usage.metrics);
  if (metrics.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="plain-list">
      {metrics.map(([metric, quantity]) => (
        <li key={metric}>
          {metricLabel(metric)}: {formatQuantity(quantity)}
        </li>
      ))}
    </ul>
  );
}

/** Creates a tenant on a plan. */
function CreateTenantForm({ planNames, onCreated }: { planNames: string[]; onCreated: () => unknown }) {
  const [name, setName] = useState("");
  const [plan, setPlan] = useState("");
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/v1/admin/tenants", { body: { name, ...(plan ? { plan } : {}) } })),
    onSuccess: () => {
      setName("");
      return onCreated();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <form className="card section" onSubmit={submit} aria-labelledby="create-tenant-title">
      <h2 id="create-tenant-title">Create a tenant</h2>
      <ProblemAlert error={create.error} />
      {create.isSuccess && (
        <p className="alert alert-info" role="status">
          Tenant {create.data.name} created on plan {create.data.plan}. Add its first owner under Users.
        </p>
      )}
      <div className="inline-fields">
        <Field label="Name" name="name" error={create.error}>
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Plan" name="plan" error={create.error} hint="free unless chosen">
          <select value={plan} onChange={(e) => setPlan(e.target.value)}>
            <option value="">(default: free)</option>
            {planNames.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create tenant"}
      </button>
    </form>
  );
}
