import type { components } from "../../api/schema";
import { formatMoney } from "../../lib/format";

/** The operator's view of tenants, plans and billing periods, as the admin API shows them. */
export type Tenant = components["schemas"]["TenantOverview"];
export type TenantPatch = components["schemas"]["TenantPatch"];
export type Plan = components["schemas"]["Plan"];
export type PlanBody = components["schemas"]["PlanCreate"];
export type BillingPeriod = components["schemas"]["BillingPeriodSummary"];
// Query keys of the operator's pages; a change invalidates the lists it affects.
export const TENANTS_QUERY = ["admin", "tenants"] as const;
export const PLANS_QUERY = ["admin", "plans"] as const;
export const PERIODS_QUERY = ["admin", "billing", "periods"] as const;

/** Totals per currency, as one line ("$12.50 · €3.00"); the exact amounts are in the export. */
export function totalsText(totals: BillingPeriod["totals"]): string {
  return totals.length === 0
    ? "nothing billed"
    : totals.map((t) => formatMoney(t.total, t.currency)).join(" · ");
}
