import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { readEvents } from "./events";
import type { TrainingJob } from "./jobs";

/** One epoch as the job's `progress` event reports it. */
export type EpochReport = {
  epoch: number;
  epochs: number;
  training_loss?: number | null;
  validation_loss?: number | null;
  metrics?: Record<string, number>;
  /** Training throughput of the epoch (absent from servers before it was reported). */
  samples_per_second?: number | null;
};

const FINAL_EVENTS = new Set(["completed", "failed", "cancelled"]);

/**
 * Follows a training job's event stream: every epoch so far, then each new one, then the job as it
 * ended (which replaces the cached job). A dropped connection is picked up again after a pause; the
 * server replays the epochs already done, so nothing is missed.
 */
export function useJobEvents(jobId: string, active: boolean) {
  const queryClient = useQueryClient();
  const [epochs, setEpochs] = useState<EpochReport[]>([]);
  const [streamError, setStreamError] = useState<string | null>(null);

  useEffect(() => {
    if (!active) return;
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    let finished = false;

    const follow = () => {
      readEvents(
        `/v1/training-jobs/${encodeURIComponent(jobId)}/events`,
        ({ event, data }) => {
          setStreamError(null);
          if (event === "progress") {
            const report = data as EpochReport;
            setEpochs((current) =>
              current.some((e) => e.epoch === report.epoch)
                ? current
                : [...current, report].sort((a, b) => a.epoch - b.epoch),
            );
          } else if (FINAL_EVENTS.has(event)) {
            finished = true;
            queryClient.setQueryData(["training-jobs", jobId], data as TrainingJob);
            void queryClient.invalidateQueries({ queryKey: ["training-jobs"], exact: true });
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
  }, [jobId, active, queryClient]);

  return { epochs, streamError };
}
