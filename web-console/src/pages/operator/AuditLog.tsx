import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";

type Filters = { tenant_id?: string; actor_id?: string; action?: string; from?: string; to?: string };
type Event = {
  id: number;
  actor_type: string;
  actor_id?: string | null;
  action: string;
  target?: string | null;
  tenant_id: string | null;
  ip?: string | null;
  created_at: string;
};

const PAGE = 50;

/** A datetime-local value (the browser's time zone) as the ISO instant the API wants. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** The platform-wide audit log, newest first: filters by tenant, actor, action and time; a page at a time. */
export function AuditLog() {
  const [draft, setDraft] = useState({ tenant_id: "", actor_id: "", action: "", from: "", to: "" });
  const [filters, setFilters] = useState<Filters>({});
  // The `before` cursor of every page shown so far, so "Newer" can step back.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const events = useQuery({
    queryKey: ["admin", "audit", filters, before],
    queryFn: () =>
      unwrap(api.GET("/v1/admin/audit", { params: { query: { ...filters, before, limit: PAGE } } })),
    placeholderData: keepPreviousData,
  });

  function apply(event: FormEvent) {
    event.preventDefault();
    const trimmed = (v: string) => v.trim() || undefined;
    setFilters({
      tenant_id: trimmed(draft.tenant_id),
      actor_id: trimmed(draft.actor_id),
      action: trimmed(draft.action),
      from: toInstant(draft.from),
      to: toInstant(draft.to),
    });
    setCursors([undefined]);
  }
  const set = (name: keyof typeof draft) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setDraft({ ...draft, [name]: e.target.value });

  return (
    <section className="section" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form className="card section" onSubmit={apply} aria-label="Audit log filters">
        <div className="inline-fields">
          <Field label="Tenant id" name="tenant_id" error={events.error}>
            <input value={draft.tenant_id} onChange={set("tenant_id")} />
          </Field>
          <Field label="Actor id" name="actor_id" error={events.error}>
            <input value={draft.actor_id} onChange={set("actor_id")} />
          </Field>
          <Field label="Action" name="action" error={events.error} hint="e.g. login, tenant.updated">
            <input value={draft.action} onChange={set("action")} />
          </Field>
          <Field label="From" name="from" error={events.error}>
            <input type="datetime-local" value={draft.from} onChange={set("from")} />
          </Field>
          <Field label="To" name="to" error={events.error}>
            <input type="datetime-local" value={draft.to} onChange={set("to")} />
          </Field>
        </div>
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
      </form>
      <QueryView
        query={events}
        isEmpty={(d) => d.data.length === 0}
        empty={<Empty>No events match these filters.</Empty>}
      >
        {(d) => (
          <>
            <DataTable<Event>
              caption="Audit events"
              rows={d.data as Event[]}
              rowKey={(e) => String(e.id)}
              columns={[
                { header: "Time", cell: (e) => formatDateTime(e.created_at) },
                { header: "Action", cell: (e) => <code>{e.action}</code> },
                {
                  header: "Actor",
                  cell: (e) => (
                    <>
                      {e.actor_type}
                      {e.actor_id && <span className="muted"> {e.actor_id.slice(0, 8)}</span>}
                    </>
                  ),
                },
                {
                  header: "Tenant",
                  cell: (e) => (e.tenant_id ? <code>{e.tenant_id.slice(0, 8)}</code> : "—"),
                },
                { header: "Target", cell: (e) => e.target ?? "—" },
                { header: "Address", cell: (e) => e.ip ?? "—" },
              ]}
            />
            <div className="pager">
              <button
                type="button"
                className="button button-small"
                disabled={cursors.length === 1}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                Newer
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={d.next_before === null}
                onClick={() => d.next_before !== null && setCursors([...cursors, d.next_before])}
              >
                Older
              </button>
            </div>
          </>
        )}
      </QueryView>
    </section>
  );
}
