import { useMemo } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "wouter";
import { api, unwrap } from "../../api/client";
import { useCan } from "../../app/permissions";
import { Chart } from "../../components/charts/Chart";
import { ProblemAlert } from "../../components/ProblemAlert";
import { QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { isFinished, type TrainingJob } from "./jobs";
import { StateBadge } from "../../components/StateBadge";
import { useJobEvents, type EpochReport } from "./useJobEvents";

/** One training job: live progress from its event stream, per-epoch curves, result, cancel. */
export function JobView({ id }: { id: string }) {
  const job = useQuery({
    queryKey: ["training-jobs", id],
    queryFn: () => unwrap(api.GET("/v1/training-jobs/{id}", { params: { path: { id } } })),
  });
  return (
    <section className="section card" aria-labelledby="job-title">
      <QueryView query={job}>{(j) => <JobDetail job={j} />}</QueryView>
    </section>
  );
}

function JobDetail({ job }: { job: TrainingJob }) {
  const queryClient = useQueryClient();
  const canChange = useCan("train");
  const { epochs, streamError } = useJobEvents(job.id, true);
  const cancel = useMutation({
    mutationFn: () => unwrap(api.POST("/v1/training-jobs/{id}/cancel", { params: { path: { id: job.id } } })),
    onSuccess: (updated) => {
      queryClient.setQueryData(["training-jobs", job.id], updated);
      void queryClient.invalidateQueries({ queryKey: ["training-jobs"], exact: true });
    },
  });

  const last = epochs[epochs.length - 1];
  const stored = job.progress as EpochReport | undefined;
  const total = last?.epochs ?? stored?.epochs ?? (job.hyperparameters?.epochs as number | undefined) ?? 0;
  const done = last?.epoch ?? stored?.epoch ?? 0;
  // Early stopping ends a job before its last epoch: a succeeded job is complete all the same.
  const percent =
    job.state === "succeeded" ? 100 : total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const result = job.result as
    | {
        model?: string;
        version?: number;
        metrics?: Record<string, unknown>;
        epochs_run?: number;
        stopped_early?: boolean;
        best_epoch?: number | null;
      }
    | undefined;
  const bestEpoch = result?.best_epoch ?? undefined;

  return (
    <>
      <div className="page-header">
        <h2 id="job-title">
          Job for model “{job.model}” <StateBadge state={job.state} />
        </h2>
        {canChange && !isFinished(job.state) && (
          <button
            type="button"
            className="button button-danger"
            onClick={() => cancel.mutate()}
            disabled={cancel.isPending || job.cancel_requested}
          >
            {job.cancel_requested ? "Cancelling…" : "Cancel job"}
          </button>
        )}
      </div>
      <ProblemAlert error={cancel.error} />
      <p className="muted">
        {job.task} · label <code>{job.label}</code> · {job.architecture} · created{" "}
        {formatDateTime(job.created_at)}
        {job.finished_at && ` · finished ${formatDateTime(job.finished_at)}`}
      </p>
      <div className="job-progress">
        <label htmlFor="job-bar">
          {job.state === "queued"
            ? "Waiting for a worker…"
            : `Epoch ${done} of ${total || "?"} (${percent} %)`}
        </label>
        <progress
          id="job-bar"
          data-testid="job-progress"
          max={100}
          value={percent}
          aria-valuetext={`${percent} %`}
        >
          {percent} %
        </progress>
      </div>
      {streamError && !isFinished(job.state) && (
        <p className="muted" role="status">
          Live updates paused ({streamError}); reconnecting…
        </p>
      )}
      {job.error && (
        <div className="alert alert-error" role="alert">
          <p className="alert-detail">{job.error}</p>
        </div>
      )}
      {result?.model && (
        <p>
          Registered as <Link href={`/models?name=${result.model}`}>{result.model}</Link> version{" "}
          {result.version}
          {bestEpoch !== undefined && (
            <>
              {" "}
              from epoch <span data-testid="best-epoch">{bestEpoch}</span>, the best of{" "}
              {result.epochs_run ?? "?"} epochs run{result.stopped_early ? " (stopped early)" : ""}
            </>
          )}
          .
        </p>
      )}
      {epochs.length > 0 && <Curves epochs={epochs} task={job.task} bestEpoch={bestEpoch} />}
    </>
  );
}

const LINE = { type: "line", showSymbol: true, connectNulls: true } as const;
const REGRESSION_METRICS = ["mse", "mae", "r2"];
const CLASSIFICATION_METRICS = ["accuracy", "f1_macro"];

function lineChart(
  epochs: EpochReport[],
  series: { name: string; data: (number | null)[]; markLine?: unknown }[],
) {
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 40, bottom: 40 },
    xAxis: {
      type: "category",
      name: "epoch",
      nameLocation: "middle",
      nameGap: 28,
      // Strings, so a mark can name its epoch rather than an index.
      data: epochs.map((e) => String(e.epoch)),
    },
    yAxis: { type: "value", scale: true },
    series: series.map((s) => ({ ...LINE, ...s })),
  };
}

/** Loss and the validation metric per epoch, with the same numbers in a table. */
function Curves({ epochs, task, bestEpoch }: { epochs: EpochReport[]; task: string; bestEpoch?: number }) {
  const metricNames = task === "regression" ? REGRESSION_METRICS : CLASSIFICATION_METRICS;
  const loss = useMemo(
    () =>
      lineChart(epochs, [
        { name: "training loss", data: epochs.map((e) => e.training_loss ?? null) },
        {
          name: "validation loss",
          data: epochs.map((e) => e.validation_loss ?? null),
          // The registered epoch: with early stopping, the lowest validation loss, not the last.
          ...(bestEpoch !== undefined && epochs.some((e) => e.epoch === bestEpoch)
            ? {
                markLine: {
                  symbol: "none",
                  label: { formatter: "best epoch" },
                  data: [{ xAxis: String(bestEpoch) }],
                },
              }
            : {}),
        },
      ]),
    [epochs, bestEpoch],
  );
  const metrics = useMemo(
    () =>
      lineChart(
        epochs,
        metricNames.map((m) => ({ name: m, data: epochs.map((e) => e.metrics?.[m] ?? null) })),
      ),
    [epochs, metricNames],
  );
  return (
    <>
      <div className="grid">
        <div>
          <h3>Loss per epoch</h3>
          <Chart
            option={loss}
            label={`Training and validation loss per epoch${bestEpoch !== undefined ? `; best epoch ${bestEpoch} marked` : ""}`}
            height={240}
          />
        </div>
        <div>
          <h3>Validation metrics per epoch</h3>
          <Chart option={metrics} label="Validation metrics per epoch" height={240} />
        </div>
      </div>
      <details>
        <summary>Epochs as a table</summary>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Epochs">
          <table className="data-table">
            <caption className="visually-hidden">Epochs</caption>
            <thead>
              <tr>
                <th scope="col">Epoch</th>
                <th scope="col" className="num">
                  Training loss
                </th>
                <th scope="col" className="num">
                  Validation loss
                </th>
                {metricNames.map((m) => (
                  <th key={m} scope="col" className="num">
                    {m}
                  </th>
                ))}
                <th scope="col" className="num">
                  Samples/s
                </th>
              </tr>
            </thead>
            <tbody>
              {epochs.map((e) => (
                <tr key={e.epoch} aria-current={e.epoch === bestEpoch ? "true" : undefined}>
                  <td>
                    {e.epoch}
                    {e.epoch === bestEpoch && <span className="badge badge-ok">best</span>}
                  </td>
                  <td className="num">{fixed(e.training_loss)}</td>
                  <td className="num">{fixed(e.validation_loss)}</td>
                  {metricNames.map((m) => (
                    <td key={m} className="num">
                      {fixed(e.metrics?.[m])}
                    </td>
                  ))}
                  <td className="num">
                    {e.samples_per_second == null ? "—" : Math.round(e.samples_per_second)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

function fixed(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toFixed(4);
}
