import type { components } from "../api/schema";

type Usage = components["schemas"]["Usage"];
type Series = Usage["series"][number];

/** The name of a series after the grouping it came from. */
export function seriesName(series: Series, keyNames: Map<string, string> = new Map()): string {
  if (series.model !== undefined) return series.model ?? "(no model)";
  if (series.api_key_id !== undefined) {
    return series.api_key_id ? (keyNames.get(series.api_key_id) ?? series.api_key_id) : "(console)";
  }
  return series.metric ?? "?";
}

/** Every bucket start from {@code from} up to {@code to}, so quiet days show as zero, not as gaps. */
export function buckets(from: Date, to: Date, granularity: "hour" | "day"): string[] {
  const step = granularity === "hour" ? 3600_000 : 86400_000;
  const start = new Date(from);
  if (granularity === "day") start.setUTCHours(0, 0, 0, 0);
  else start.setUTCMinutes(0, 0, 0);
  const out: string[] = [];
  for (let t = start.getTime(); t < to.getTime() && out.length < 24 * 31 + 1; t += step) {
    out.push(new Date(t).toISOString().replace(".000Z", "Z"));
  }
  return out;
}

/** A table of quantities: one row per bucket, one column per series. */
export function pivot(usage: Usage, bucketStarts: string[]): number[][] {
  return bucketStarts.map((start) =>
    usage.series.map((s) => {
      const point = s.points.find((p) => Date.parse(p.start) === Date.parse(start));
      return point ? Number(point.quantity) : 0;
    }),
  );
}

/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted. */
export function toCsv(header: string[], rows: (string | number)[][]): string {
  const field = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}

/** The first instant of the current month, UTC: where quotas and invoices start counting. */
export function startOfMonthUtc(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export function startOfNextMonthUtc(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}
