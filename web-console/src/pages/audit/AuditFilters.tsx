import { useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { ACTIONS, NO_FILTER, PAGE_SIZES, type AuditFilter } from "./audit";
import type { Actor } from "./actors";

/** The filter form: actor, action, time window and page size; applied on submit, not per keystroke. */
export function AuditFilters({
  applied,
  actors,
  error,
  onApply,
}: {
  applied: AuditFilter;
  actors: Actor[];
  error: unknown;
  onApply: (filter: AuditFilter) => void;
}) {
  const [draft, setDraft] = useState<AuditFilter>(applied);
  const set = <K extends keyof AuditFilter>(key: K, value: AuditFilter[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(draft);
  }

  function clear() {
    setDraft(NO_FILTER);
    onApply(NO_FILTER);
  }

  return (
    <form className="card section" onSubmit={submit} aria-labelledby="audit-filter">
      <h2 id="audit-filter">Filter</h2>
      <div className="inline-fields">
        <Field label="Actor" name="actor_id" error={error}>
          <select value={draft.actorId} onChange={(e) => set("actorId", e.target.value)}>
            <option value="">Anyone</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Action" name="action" error={error} hint="for example login or api_key.created">
          <input
            type="text"
            list="audit-actions"
            autoComplete="off"
            spellCheck={false}
            maxLength={100}
            value={draft.action}
            onChange={(e) => set("action", e.target.value)}
          />
        </Field>
        <datalist id="audit-actions">
          {ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <Field label="From" name="from" error={error} hint="your local time">
          <input type="datetime-local" value={draft.from} onChange={(e) => set("from", e.target.value)} />
        </Field>
        <Field label="To (before)" name="to" error={error} hint="your local time">
          <input type="datetime-local" value={draft.to} onChange={(e) => set("to", e.target.value)} />
        </Field>
        <Field label="Rows per page" name="limit" error={error}>
          <select value={draft.limit} onChange={(e) => set("limit", Number(e.target.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={clear}>
          Clear
        </button>
        <button type="submit" className="button button-primary">
          Apply
        </button>
      </div>
    </form>
  );
}
