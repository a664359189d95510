/** Shared formatting, so every page shows dates and numbers the same way. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const number = new Intl.NumberFormat();

export function formatDateTime(value: string | null | undefined, none = "—"): string {
  return value ? dateTime.format(new Date(value)) : none;
}

/** Decimal strings from the API (quantities, money) shown without float rounding surprises. */
export function formatQuantity(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const n = Number(value);
  return Number.isFinite(n) ? number.format(n) : String(value);
}

export function formatMoney(amount: string | number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(Number(amount));
}

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB"];

export function formatBytes(value: number): string {
  let n = value;
  let unit = 0;
  while (n >= 1024 && unit < BYTE_UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${unit === 0 ? n : n.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** Metric names as people read them. */
export const METRIC_LABELS: Record<string, string> = {
  api_calls: "API calls",
  predictions: "Predictions",
  training_seconds: "Training seconds",
  storage_bytes: "Storage",
  concurrent_jobs: "Concurrent jobs",
  deployed_models: "Deployed models",
  upload_bytes: "Upload size",
};

export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? metric;
}
