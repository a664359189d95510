import type { components } from "../../api/schema";
import { ApiError, networkProblem, toProblem } from "../../api/problem";
import { accessToken } from "../../session/session";

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

/**
 * Deletes one version (DELETE /v1/models/{name}/versions/{version}). Called with fetch until the
 * contract this console is built against declares the operation; then it moves to the typed client.
 */
export async function deleteVersion(name: string, version: number): Promise<void> {
  const token = accessToken();
  let response: Response;
  try {
    response = await fetch(`/v1/models/${encodeURIComponent(name)}/versions/${version}`, {
      method: "DELETE",
      credentials: "same-origin",
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
  } catch (e) {
    throw new ApiError(networkProblem(e));
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    throw new ApiError(toProblem(body, response));
  }
}

export function formatMetric(value: unknown): string {
  return typeof value === "number"
    ? value.toFixed(4)
    : value === undefined || value === null
      ? "—"
      : String(value);
}
