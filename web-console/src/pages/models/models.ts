import type { components } from "../../api/schema";
import { api, unwrap } from "../../api/client";

export type Model = components["schemas"]["Model"];
export type ModelVersion = Model["versions"][number];

/** A classifier's evaluation as the worker stores it with the version. */
export type ClassMetrics = { precision: number; recall: number; f1: number; support: number };
export type VersionMetrics = {
  accuracy?: number;
  precision_macro?: number;
  recall_macro?: number;
  f1_macro?: number;
  mse?: number;
  mae?: number;
  r2?: number;
  per_class?: Record<string, ClassMetrics>;
  confusion_matrix?: { labels: string[]; matrix: number[][] };
};

/** The headline metrics of a task, in the order they are shown. */
export const HEADLINE_METRICS: Record<string, string[]> = {
  classification: ["accuracy", "precision_macro", "recall_macro", "f1_macro"],
  regression: ["mse", "mae", "r2"],
};

export const modelQuery = (name: string) => ["models", name] as const;

/** Deletes one version (DELETE /v1/models/{name}/versions/{version}). */
export async function deleteVersion(name: string, version: number): Promise<void> {
  await unwrap(api.DELETE("/v1/models/{name}/versions/{version}", { params: { path: { name, version } } }));
}

export function formatMetric(value: unknown): string {
  return typeof value === "number"
    ? value.toFixed(4)
    : value === undefined || value === null
      ? "—"
      : String(value);
}
