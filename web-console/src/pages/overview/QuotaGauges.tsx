import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { QueryView } from "../../components/States";
import { formatBytes, formatDateTime, formatQuantity, metricLabel } from "../../lib/format";

export const TENANT_QUERY = ["tenant"] as const;

function amount(value: number, unit: string): string {
  return unit === "bytes" ? formatBytes(value) : formatQuantity(value);
}

/** One gauge per period quota: used of limit, soft or hard, and when it resets. */
export function QuotaGauges() {
  const tenant = useQuery({ queryKey: TENANT_QUERY, queryFn: () => unwrap(api.GET("/v1/tenant")) });
  return (
    <section className="section" aria-labelledby="quotas">
      <h2 id="quotas">Quotas</h2>
      <QueryView query={tenant}>
        {(t) => (
          <>
            <p className="muted">
              {t.name} · plan <strong>{t.plan.name}</strong>
              {t.status !== "active" && <span className="badge badge-danger"> {t.status}</span>}
            </p>
            <div className="grid">
              {Object.entries(t.quotas ?? {}).map(([metric, q]) => {
                const used = Number(q.used);
                const id = `quota-${metric}`;
                return (
                  <div className="card gauge" key={metric} data-testid={id}>
                    <div className="gauge-label">
                      <span id={id}>{metricLabel(metric)}</span>
                      <span className="muted">
                        {q.limit === null ? "unlimited" : q.soft ? "soft limit" : "hard limit"}
                      </span>
                    </div>
                    <p className="stat">
                      {amount(used, q.unit)}
                      {q.limit !== null && <span className="muted"> of {amount(q.limit, q.unit)}</span>}
                    </p>
                    {q.limit !== null && (
                      <meter
                        aria-labelledby={id}
                        min={0}
                        max={q.limit}
                        value={Math.min(used, q.limit)}
                        high={q.limit * 0.8}
                        optimum={0}
                      />
                    )}
                    <p className="muted">
                      {q.resets_at ? `Resets ${formatDateTime(q.resets_at)}` : "What is stored now"}
                    </p>
                  </div>
                );
              })}
            </div>
          </>
        )}
      </QueryView>
    </section>
  );
}
