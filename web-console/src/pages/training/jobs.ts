import type { components } from "../../api/schema";

export type TrainingJob = components["schemas"]["TrainingJob"];

export const JOBS_QUERY = ["training-jobs"] as const;

/** States after which a job changes no more. */
export function isFinished(state: TrainingJob["state"]): boolean {
  return state === "succeeded" || state === "failed" || state === "cancelled";
}
