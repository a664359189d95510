import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { components } from "../../api/schema";
import { readEvents } from "../training/events";

export type TuningJob = components["schemas"]["TuningJob"];
export type TuningTrial = components["schemas"]["TuningTrial"];

export const TUNING_QUERY = ["tuning-jobs"] as const;

/** States after which a tuning job changes no more. */
export function isTuningFinished(state: TuningJob["state"]): boolean {
  return state !== "running";
}

/** A trial's epoch as the stream's `progress` event reports it. */
type TrialProgress = { trial: number; epoch: number; epochs: number };

const FINAL_EVENTS = new Set(["completed", "failed", "cancelled"]);

/**
 * Follows a tuning job's event stream: each trial as it is now and on every state change, each
 * trial's epochs, then the tuning job as it ended (which replaces the cached job). A dropped
 * connection is picked up again; the server replays the trials, so nothing is missed.
 */
export function useTuningEvents(job: TuningJob) {
  const queryClient = useQueryClient();
  const [trials, setTrials] = useState<Map<number, TuningTrial>>(
    () => new Map((job.trials ?? []).map((t) => [t.trial, t])),
  );
  const [epochs, setEpochs] = useState<Map<number, TrialProgress>>(new Map());
  const [streamError, setStreamError] = useState<string | null>(null);
  const id = job.id;
  const active = !isTuningFinished(job.state);

  useEffect(() => {
    if (!active) return;
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    const follow = () => {
      readEvents(
        `/v1/tuning-jobs/${encodeURIComponent(id)}/events`,
        ({ event, data }) => {
          setStreamError(null);
          if (event === "trial") {
            const trial = data as TuningTrial;
            setTrials((current) => new Map(current).set(trial.trial, trial));
          } else if (event === "progress") {
            const report = data as TrialProgress;
            setEpochs((current) => new Map(current).set(report.trial, report));
          } else if (FINAL_EVENTS.has(event)) {
            finished = true;
            const ended = data as TuningJob;
            queryClient.setQueryData(["tuning-jobs", id], ended);
            if (ended.trials) setTrials(new Map(ended.trials.map((t) => [t.trial, t])));
            void queryClient.invalidateQueries({ queryKey: TUNING_QUERY, exact: true });
            void queryClient.invalidateQueries({ queryKey: ["models"] });
          }
        },
        abort.signal,
      )
        .catch((e: unknown) => {
          if (!abort.signal.aborted) setStreamError(e instanceof Error ? e.message : String(e));
        })
        .finally(() => {
          if (!finished && !abort.signal.aborted) retry = setTimeout(follow, 2000);
        });
    };
    follow();
    return () => {
      abort.abort();
      clearTimeout(retry);
    };
  }, [id, active, queryClient]);

  // The job as fetched is the truth once it has ended; until then the stream is newer.
  const merged =
    isTuningFinished(job.state) && job.trials ? new Map(job.trials.map((t) => [t.trial, t])) : trials;
  return { trials: [...merged.values()].sort((a, b) => a.trial - b.trial), epochs, streamError };
}
