import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { FINAL_EVENTS, useEventStream } from "../../lib/useEventStream";
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

/**
 * Follows a training job's event stream: every epoch so far, then each new one, then the job as it
 * ended (which replaces the cached job).
 */
export function useJobEvents(jobId: string, active: boolean) {
  const queryClient = useQueryClient();
  const [epochs, setEpochs] = useState<EpochReport[]>([]);
  const streamError = useEventStream(
    `/v1/training-jobs/${encodeURIComponent(jobId)}/events`,
    active,
    ({ event, data }) => {
      if (event === "progress") {
        const report = data as EpochReport;
        setEpochs((current) =>
          current.some((e) => e.epoch === report.epoch)
            ? current
            : [...current, report].sort((a, b) => a.epoch - b.epoch),
        );
      } else if (FINAL_EVENTS.has(event)) {
        queryClient.setQueryData(["training-jobs", jobId], data as TrainingJob);
        void queryClient.invalidateQueries({ queryKey: ["training-jobs"], exact: true });
        void queryClient.invalidateQueries({ queryKey: ["models"] });
      }
    },
  );
  return { epochs, streamError };
}
