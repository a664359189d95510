import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { DataTable } from "../../components/DataTable";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { actorName, useActors } from "./actors";
import { auditQuery, formatDetails, NO_FILTER, type AuditEvent, type AuditFilter } from "./audit";
import { AuditFilters } from "./AuditFilters";

/** The tenant's audit log (owners only), newest first: filtered by actor, action and time, by pages. */
export default function AuditPage() {
  const actors = useActors();
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  // The API pages by cursor: page i starts below cursors[i]; going back pops the stack.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const events = useQuery({
    queryKey: ["audit", filter, before],
    queryFn: () => unwrap(api.GET("/v1/audit", { params: { query: auditQuery(filter, before) } })),
  });

  function apply(next: AuditFilter) {
    setFilter(next);
    setCursors([undefined]);
  }

  return (
    <>
      <h1>Audit log</h1>
      <AuditFilters applied={filter} actors={actors} error={events.error} onApply={apply} />
      <section className="section" aria-labelledby="audit-events">
        <h2 id="audit-events">Events</h2>
        <QueryView
          query={events}
          isEmpty={(d) => d.data.length === 0 && cursors.length === 1}
          empty={<Empty>No events match these filters.</Empty>}
        >
          {(d) => (
            <>
              {d.data.length === 0 ? (
                <Empty>No older events.</Empty>
              ) : (
                <DataTable<AuditEvent>
                  caption="Audit events, newest first"
                  rows={d.data}
                  rowKey={(e) => String(e.id)}
                  columns={[
                    { header: "Time", cell: (e) => formatDateTime(e.created_at) },
                    { header: "Actor", cell: (e) => actorName(e, actors) },
                    { header: "Action", cell: (e) => <code>{e.action}</code> },
                    { header: "Target", cell: (e) => <span className="cell-wrap">{e.target ?? "—"}</span> },
                    {
                      header: "Details",
                      cell: (e) => <span className="cell-wrap">{formatDetails(e.details)}</span>,
                    },
                    { header: "Address", cell: (e) => e.ip ?? "—" },
                  ]}
                />
              )}
              <nav className="pager" aria-label="Audit log pages">
                <button
                  type="button"
                  className="button"
                  disabled={cursors.length === 1}
                  onClick={() => setCursors((c) => c.slice(0, -1))}
                >
                  Newer
                </button>
                <span data-testid="audit-page">Page {cursors.length}</span>
                <button
                  type="button"
                  className="button"
                  disabled={d.next_before === null}
                  onClick={() => setCursors((c) => [...c, d.next_before ?? undefined])}
                >
                  Older
                </button>
              </nav>
            </>
          )}
        </QueryView>
      </section>
    </>
  );
}
