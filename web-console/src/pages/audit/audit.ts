import type { components } from "../../api/schema";

export type AuditEvent = components["schemas"]["AuditEvent"];

/** What the filter form holds; times as the browser's `datetime-local` values (local time). */
export type AuditFilter = { actorId: string; action: string; from: string; to: string; limit: number };

export const NO_FILTER: AuditFilter = { actorId: "", action: "", from: "", to: "", limit: 25 };
export const PAGE_SIZES = [10, 25, 50, 100];

/** The actions a tenant's log holds, offered as suggestions (the field takes any action). */
export const ACTIONS = [
  "login",
  "logout",
  "logout_all",
  "password.changed",
  "session.revoked",
  "api_key.created",
  "api_key.revoked",
  "user.created",
  "user.role_changed",
  "user.removed",
  "model.deployed",
  "model.undeployed",
  "model.deleted",
  "model.version_deleted",
  "alerts.updated",
  "alerts.webhook_secret_rotated",
  "tenant.updated",
  "invoice.adjusted",
];

/** The API's query for one page of {@code filter}, continuing below event {@code before}. */
export function auditQuery(filter: AuditFilter, before: number | undefined) {
  return {
    limit: filter.limit,
    ...(filter.actorId ? { actor_id: filter.actorId } : {}),
    ...(filter.action.trim() ? { action: filter.action.trim() } : {}),
    ...(filter.from ? { from: new Date(filter.from).toISOString() } : {}),
    ...(filter.to ? { to: new Date(filter.to).toISOString() } : {}),
    ...(before !== undefined ? { before } : {}),
  };
}

/** An event's details as short `key: value` pairs, for one table cell. */
export function formatDetails(details: unknown): string {
  if (!details || typeof details !== "object") return "—";
  const pairs = Object.entries(details as Record<string, unknown>).map(
    ([k, v]) => `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`,
  );
  return pairs.length > 0 ? pairs.join(", ") : "—";
}
