import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { components } from "../../api/schema";
import { FINAL_EVENTS, useEventStream } from "../../lib/useEventStream";

export type TuningJob = components["schemas"]["TuningJob"];
export type TuningTrial = components["schemas"]["TuningTrial"];

export const TUNING_QUERY = ["tuning-jobs"] as const;

/** States after which a tuning job changes no more. */
export function isTuningFinished(state: TuningJob["state"]): boolean {
  return state !== "running";
}

/** A trial's epoch as the stream's `progress` event reports it. */
type TrialProgress = { trial: number; epoch: number; epochs: number };

/**
 * Follows a tuning job's event stream: each trial as it is now and on every state change, each
 * trial's epochs, then the tuning job as it ended (which replaces the cached job).
 */
export function useTuningEvents(job: TuningJob) {
  const queryClient = useQueryClient();
  const [trials, setTrials] = useState<Map<number, TuningTrial>>(
    () => new Map((job.trials ?? []).map((t) => [t.trial, t])),
  );
  const [epochs, setEpochs] = useState<Map<number, TrialProgress>>(new Map());
  const id = job.id;
  const streamError = useEventStream(
    `/v1/tuning-jobs/${encodeURIComponent(id)}/events`,
    !isTuningFinished(job.state),
    ({ event, data }) => {
      if (event === "trial") {
        const trial = data as TuningTrial;
        setTrials((current) => new Map(current).set(trial.trial, trial));
      } else if (event === "progress") {
        const report = data as TrialProgress;
        setEpochs((current) => new Map(current).set(report.trial, report));
      } else if (FINAL_EVENTS.has(event)) {
        const ended = data as TuningJob;
        queryClient.setQueryData(["tuning-jobs", id], ended);
        if (ended.trials) setTrials(new Map(ended.trials.map((t) => [t.trial, t])));
        void queryClient.invalidateQueries({ queryKey: TUNING_QUERY, exact: true });
        void queryClient.invalidateQueries({ queryKey: ["models"] });
      }
    },
  );

  // The job as fetched is the truth once it has ended; until then the stream is newer.
  const merged =
    isTuningFinished(job.state) && job.trials ? new Map(job.trials.map((t) => [t.trial, t])) : trials;
  return { trials: [...merged.values()].sort((a, b) => a.trial - b.trial), epochs, streamError };
}
