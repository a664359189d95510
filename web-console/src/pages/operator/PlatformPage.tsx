import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { DataTable } from "../../components/DataTable";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { AuditLog } from "./AuditLog";
import "./operator.css";

type Worker = components["schemas"]["WorkerStatus"];

const upBadge = (status: string) => (
  <span className={status === "UP" ? "badge badge-ok" : "badge badge-danger"}>{status}</span>
);

/** The platform: readiness of the database and workers, what each worker has loaded, and the audit log. */
export default function PlatformPage() {
  // Workers come and go with their heartbeats: look again every 10 s.
  const platform = useQuery({
    queryKey: ["admin", "platform"],
    queryFn: () => unwrap(api.GET("/v1/admin/platform")),
    refetchInterval: 10_000,
  });

  return (
    <>
      <h1>Platform</h1>
      <QueryView query={platform}>
        {(p) => (
          <>
            <div className="grid">
              <div className="card">
                <h2>Platform</h2>
                <p data-testid="platform-status">{upBadge(p.status)}</p>
                <p className="muted">UP when the database has the expected schema and a worker is live.</p>
              </div>
              <div className="card">
                <h2>Database</h2>
                <p data-testid="database-status">
                  {upBadge(p.database.status)}{" "}
                  {p.database.schema_version && <>schema version {p.database.schema_version}</>}
                </p>
                {p.database.detail && <p className="muted">{p.database.detail}</p>}
              </div>
              <div className="card">
                <h2>Workers</h2>
                <p>
                  {p.workers.length} live on {p.nodes.length} node{p.nodes.length === 1 ? "" : "s"}
                </p>
                <ul className="plain-list muted">
                  {p.nodes.map((n) => (
                    <li key={n.node}>
                      {n.node}: {n.workers}
                    </li>
                  ))}
                </ul>
              </div>
            </div>
            <section className="section" aria-labelledby="workers-title">
              <h2 id="workers-title">Workers</h2>
              {p.workers.length === 0 ? (
                <Empty>
                  No live worker: nothing can train or predict until one starts and sends a heartbeat.
                </Empty>
              ) : (
                <DataTable<Worker>
                  caption="Live workers"
                  rows={p.workers}
                  rowKey={(w) => w.worker_id}
                  columns={[
                    { header: "Worker", cell: (w) => <code>{w.worker_id.slice(0, 8)}</code> },
                    { header: "Node", cell: (w) => w.node },
                    { header: "Engine", cell: (w) => `${w.engine} ${w.engine_version}` },
                    {
                      header: "Device",
                      cell: (w) => `${w.device}${w.gpu_count ? ` (${w.gpu_count} GPU)` : ""}`,
                    },
                    { header: "Started", cell: (w) => formatDateTime(w.started_at) },
                    {
                      header: "Loaded models",
                      cell: (w) =>
                        w.models && w.models.length > 0 ? (
                          <ul className="plain-list">
                            {w.models.map((m) => (
                              <li key={`${m.model_id}-${m.version}`}>
                                {m.name} v{m.version}{" "}
                                <span className="muted">(tenant {m.tenant_id.slice(0, 8)})</span>
                              </li>
                            ))}
                          </ul>
                        ) : (
                          <span className="muted">none</span>
                        ),
                    },
                  ]}
                />
              )}
            </section>
          </>
        )}
      </QueryView>
      <AuditLog />
    </>
  );
}
