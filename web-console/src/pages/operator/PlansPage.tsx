import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { DataTable } from "../../components/DataTable";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime, formatMoney, metricLabel } from "../../lib/format";
import { PLANS_QUERY, TENANTS_QUERY, type Plan } from "./operator";
import { PlanEditor } from "./PlanEditor";
import "./operator.css";

/** The operator's plans: list, create and edit with a live price preview. */
export default function PlansPage() {
  const queryClient = useQueryClient();
  const plans = useQuery({ queryKey: PLANS_QUERY, queryFn: () => unwrap(api.GET("/v1/admin/plans")) });
  // null: no form; "new": an empty one; a plan: that plan's.
  const [editing, setEditing] = useState<Plan | "new" | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  function done(plan: Plan | null) {
    setEditing(null);
    if (plan) {
      setSaved(plan.name);
      void queryClient.invalidateQueries({ queryKey: PLANS_QUERY });
      void queryClient.invalidateQueries({ queryKey: TENANTS_QUERY });
    }
  }

  return (
    <>
      <div className="page-header">
        <h1>Plans</h1>
        {editing === null && (
          <button type="button" className="button button-primary" onClick={() => setEditing("new")}>
            New plan
          </button>
        )}
      </div>
      {saved && editing === null && (
        <p className="alert alert-info" role="status">
          Plan {saved} saved; tenants on it get its limits within a second.
        </p>
      )}
      {editing !== null && (
        <PlanEditor
          key={editing === "new" ? "new" : editing.id}
          plan={editing === "new" ? null : editing}
          onDone={done}
        />
      )}
      <section className="section" aria-labelledby="plans-list">
        <h2 id="plans-list">All plans</h2>
        <QueryView
          query={plans}
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty>No plans yet. Tenants are created on a plan: create one first.</Empty>}
        >
          {(d) => (
            <DataTable<Plan>
              caption="Plans"
              rows={d.data}
              rowKey={(p) => p.id}
              columns={[
                { header: "Name", cell: (p) => p.name },
                { header: "Base fee", numeric: true, cell: (p) => formatMoney(p.base_fee, p.currency) },
                {
                  header: "Rate limit",
                  cell: (p) =>
                    p.rate_limit
                      ? `${p.rate_limit.requests_per_second}/s, burst ${p.rate_limit.burst ?? p.rate_limit.requests_per_second}`
                      : "unlimited",
                },
                {
                  header: "Limits",
                  cell: (p) => <PlanLimits plan={p} />,
                },
                { header: "Prices", cell: (p) => <PlanPrices plan={p} /> },
                { header: "Updated", cell: (p) => formatDateTime(p.updated_at) },
                {
                  header: "Actions",
                  cell: (p) => (
                    <button type="button" className="button button-small" onClick={() => setEditing(p)}>
                      Edit<span className="visually-hidden"> plan {p.name}</span>
                    </button>
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

function PlanLimits({ plan }: { plan: Plan }) {
  const set = Object.entries(plan.limits).filter(([, v]) => v !== null && v !== undefined);
  if (set.length === 0) return <span className="muted">unlimited</span>;
  return (
    <ul className="plain-list">
      {set.map(([m, v]) => (
        <li key={m}>
          {metricLabel(m)}: {v}
          {plan.soft_limits.includes(m) ? " (soft)" : ""}
        </li>
      ))}
    </ul>
  );
}

function PlanPrices({ plan }: { plan: Plan }) {
  const set = Object.entries(plan.prices).filter(([, p]) => p);
  if (set.length === 0) return <span className="muted">base fee only</span>;
  return (
    <ul className="plain-list">
      {set.map(([m, p]) => (
        <li key={m}>
          {m === "storage_gb_months" ? "Storage (GB-months)" : metricLabel(m)}:{" "}
          {p!.tiers ? p!.tiers.map((t) => `${t.unit_price} to ${t.up_to ?? "∞"}`).join(", ") : p!.unit_price}
          {p!.included ? ` (${p!.included} included)` : ""}
        </li>
      ))}
    </ul>
  );
}
