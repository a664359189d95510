import type { components } from "../../api/schema";
import { formatQuantity } from "../../lib/format";
import { toCsv } from "../../lib/usage";

/** An invoice and its lines as the API shows them. */
export type Invoice = components["schemas"]["Invoice"];
export type InvoiceLine = components["schemas"]["InvoiceLine"];

/** Line types as people read them. */
export const LINE_LABELS: Record<InvoiceLine["type"], string> = {
  base_fee: "Base fee",
  usage: "Usage",
  late_usage: "Late usage",
  adjustment: "Adjustment",
  credit_brought_forward: "Credit brought forward",
  credit_carried_forward: "Credit carried forward",
};

/** A price tier's range as people read it ("tier 0 to 100"), on invoices and in the plan preview. */
export function tierRange(tier: components["schemas"]["InvoiceTier"]): string {
  return `tier ${formatQuantity(tier.from)} to ${tier.up_to === null ? "unlimited" : formatQuantity(tier.up_to)}`;
}

/**
 * The invoice as CSV, built from the same lines the page shows: one row per line, then one row
 * per tier of a tiered line (type `tier`), then the total. Amounts are the API's decimal strings,
 * unrounded, so a spreadsheet adds up to the same total.
 */
export function invoiceCsv(invoice: Invoice): string {
  const rows: string[][] = [];
  for (const line of invoice.lines) {
    rows.push([
      invoice.period,
      line.type,
      line.metric ?? "",
      line.description ?? line.reason ?? "",
      line.quantity,
      line.unit_price ?? "",
      line.amount,
      invoice.currency,
    ]);
    for (const tier of line.tiers) {
      rows.push([
        invoice.period,
        "tier",
        line.metric ?? "",
        `${tier.from} to ${tier.up_to ?? "unlimited"}`,
        tier.quantity,
        tier.unit_price,
        tier.amount,
        invoice.currency,
      ]);
    }
  }
  rows.push([
    invoice.period,
    "total",
    "",
    `${invoice.status} invoice`,
    "",
    "",
    invoice.total,
    invoice.currency,
  ]);
  return toCsv(
    ["period", "type", "metric", "description", "quantity", "unit_price", "amount", "currency"],
    rows,
  );
}
