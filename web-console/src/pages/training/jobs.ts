import type { components } from "../../api/schema";

export type TrainingJob = components["schemas"]["TrainingJob"];

export const JOBS_QUERY = ["training-jobs"] as const;

/** States after which a job changes no more. */
export function isFinished(state: TrainingJob["state"]): boolean {
  return state === "succeeded" || state === "failed" || state === "cancelled";
}

const STATE_BADGE: Record<TrainingJob["state"], string> = {
  queued: "badge",
  running: "badge badge-warn",
  succeeded: "badge badge-ok",
  failed: "badge badge-danger",
  cancelled: "badge",
};

export function stateBadgeClass(state: TrainingJob["state"]): string {
  return STATE_BADGE[state];
}
