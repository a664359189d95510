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
  log_loss?: number;
  roc_auc?: number;
  pr_auc?: number;
  positive_label?: string;
  roc_curve?: { fpr: number[]; tpr: number[]; thresholds: (number | null)[] };
  pr_curve?: { recall: number[]; precision: number[]; thresholds: number[] };
  residuals?: Record<ResidualStat, number>;
  cross_validation?: { folds: number; metrics: Record<string, { mean: number; std: number }> };
  /** Permutation importance of each input column (tabular versions), highest first. */
  feature_importance?: FeatureImportance[];
};

export type FeatureImportance = { feature: string; importance: number; std: number };

/** A regressor's residual summary (true minus predicted), in the order it is shown. */
export const RESIDUAL_STATS = ["min", "p05", "p25", "median", "p75", "p95", "max", "mean", "std"] as const;
export type ResidualStat = (typeof RESIDUAL_STATS)[number];

/**
 * Every metric a task's versions may carry, in the order they are compared: the headline ones,
 * then those only some versions have (log loss for CSV classifiers, AUCs for binary ones).
 */
export const COMPARED_METRICS: Record<string, string[]> = {
  classification: [
    "accuracy",
    "precision_macro",
    "recall_macro",
    "f1_macro",
    "log_loss",
    "roc_auc",
    "pr_auc",
  ],
  regression: ["mse", "mae", "r2"],
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

/** A cross-validated metric as "mean ± std". */
export function formatSpread(spread: { mean: number; std: number } | undefined): string {
  return spread ? `${spread.mean.toFixed(4)} ± ${spread.std.toFixed(4)}` : "—";
}

export function formatMetric(value: unknown): string {
  return typeof value === "number"
    ? value.toFixed(4)
    : value === undefined || value === null
      ? "—"
      : String(value);
}
