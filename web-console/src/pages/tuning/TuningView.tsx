import "./tuning.css";
import { useMemo } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "wouter";
import { api, unwrap } from "../../api/client";
import { useCan } from "../../app/permissions";
import { Chart } from "../../components/charts/Chart";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { StateBadge } from "../../components/StateBadge";
import { QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { isTuningFinished, useTuningEvents, type TuningJob, type TuningTrial } from "./tuning";

/** One tuning job: its trials live from the event stream, the best one, the objective chart, cancel. */
export function TuningView({ id }: { id: string }) {
  const job = useQuery({
    queryKey: ["tuning-jobs", id],
    queryFn: () => unwrap(api.GET("/v1/tuning-jobs/{id}", { params: { path: { id } } })),
  });
  return (
    <section className="section card" aria-labelledby="tuning-title">
      <QueryView query={job}>{(j) => <TuningDetail job={j} />}</QueryView>
    </section>
  );
}

/** A hyperparameter value as it reads best: layer sizes as a list, numbers short. */
function value(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(3);
  if (Array.isArray(v)) return `[${v.join(", ")}]`;
  return String(v);
}

function TuningDetail({ job }: { job: TuningJob }) {
  const queryClient = useQueryClient();
  const canChange = useCan("train");
  const { trials, epochs, streamError } = useTuningEvents(job);
  const cancel = useMutation({
    mutationFn: () => unwrap(api.POST("/v1/tuning-jobs/{id}/cancel", { params: { path: { id: job.id } } })),
    onSuccess: (updated) => {
      queryClient.setQueryData(["tuning-jobs", job.id], updated);
      void queryClient.invalidateQueries({ queryKey: ["tuning-jobs"], exact: true });
    },
  });
  const result = job.result as
    { model?: string; version?: number; trial?: number; value?: number } | undefined;
  // While running, the best so far is the job's; the final job names the registered trial.
  const best = result?.trial ?? job.best_trial?.trial ?? undefined;
  const names = useMemo(
    () => [...new Set(trials.flatMap((t) => Object.keys(t.hyperparameters ?? {})))].sort(),
    [trials],
  );

  return (
    <>
      <div className="page-header">
        <h2 id="tuning-title">
          Tuning “{job.model}” <StateBadge state={job.state} />
        </h2>
        {canChange && !isTuningFinished(job.state) && (
          <ConfirmDialog
            trigger={
              <button type="button" className="button button-danger">
                Cancel tuning
              </button>
            }
            title="Cancel this tuning job?"
            description="Every running trial stops and no version is registered."
            confirmLabel="Cancel tuning"
            onConfirm={() => cancel.mutateAsync()}
          />
        )}
      </div>
      <p className="muted">
        {job.strategy} search · objective <code>{job.objective}</code> · {trials.length} of{" "}
        {job.trials_planned ?? job.max_trials} trials · seed {job.seed} · created{" "}
        {formatDateTime(job.created_at)}
        {job.finished_at && ` · finished ${formatDateTime(job.finished_at)}`}
      </p>
      {streamError && !isTuningFinished(job.state) && (
        <p className="muted" role="status">
          Live updates paused ({streamError}); reconnecting…
        </p>
      )}
      {job.stop_reason && <p className="muted">No further trial started: {job.stop_reason}</p>}
      {job.error && (
        <div className="alert alert-error" role="alert">
          <p className="alert-detail">{job.error}</p>
        </div>
      )}
      {result?.model && (
        <p data-testid="tuning-result">
          Trial {result.trial} registered as{" "}
          <Link href={`/models?name=${result.model}`} data-testid="registered-version">
            {result.model} version {result.version}
          </Link>{" "}
          ({job.objective} {result.value === undefined ? "—" : result.value.toFixed(4)}).
        </p>
      )}
      {trials.some((t) => t.objective != null) && (
        <ObjectiveChart trials={trials} objective={job.objective} best={best} />
      )}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Trials">
        <table className="data-table trials-table" data-testid="trials-table">
          <caption className="visually-hidden">Trials</caption>
          <thead>
            <tr>
              <th scope="col">Trial</th>
              {names.map((n) => (
                <th key={n} scope="col">
                  {n}
                </th>
              ))}
              <th scope="col">State</th>
              <th scope="col" className="num">
                {job.objective}
              </th>
              <th scope="col" className="num">
                Epochs run
              </th>
            </tr>
          </thead>
          <tbody>
            {trials.map((t) => (
              <TrialRow
                key={t.trial}
                trial={t}
                names={names}
                best={t.trial === best}
                epoch={epochs.get(t.trial)}
              />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function TrialRow({
  trial,
  names,
  best,
  epoch,
}: {
  trial: TuningTrial;
  names: string[];
  best: boolean;
  epoch?: { epoch: number; epochs: number };
}) {
  const running = trial.state === "running" || trial.state === "queued";
  return (
    <tr
      aria-current={best ? "true" : undefined}
      data-trial={trial.trial}
      data-best={best ? "true" : undefined}
    >
      <td>
        {trial.trial}
        {best && (
          <>
            {" "}
            <span className="badge badge-ok">best</span>
          </>
        )}
      </td>
      {names.map((n) => (
        <td key={n}>{n in (trial.hyperparameters ?? {}) ? value(trial.hyperparameters[n]) : "—"}</td>
      ))}
      <td>
        <StateBadge state={trial.state} />
      </td>
      <td className="num" data-objective={trial.objective ?? undefined}>
        {trial.objective == null ? "—" : trial.objective.toFixed(4)}
      </td>
      <td className="num">
        {running && epoch
          ? `${epoch.epoch} / ${epoch.epochs}`
          : (trial.epochs_run ?? (epoch ? epoch.epoch : "—"))}
      </td>
    </tr>
  );
}

/** Each finished trial's objective by trial number, the best one marked. */
function ObjectiveChart({
  trials,
  objective,
  best,
}: {
  trials: TuningTrial[];
  objective: string;
  best?: number;
}) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 40 },
      xAxis: {
        type: "category",
        name: "trial",
        nameLocation: "middle",
        nameGap: 28,
        data: trials.map((t) => String(t.trial)),
      },
      yAxis: { type: "value", scale: true },
      series: [
        {
          name: objective,
          type: "line",
          showSymbol: true,
          symbolSize: 8,
          connectNulls: true,
          data: trials.map((t) => t.objective ?? null),
          ...(best !== undefined
            ? { markLine: { symbol: "none", label: { formatter: "best" }, data: [{ xAxis: String(best) }] } }
            : {}),
        },
      ],
    }),
    [trials, objective, best],
  );
  return (
    <>
      <h3>Objective per trial</h3>
      <Chart
        option={option}
        label={`${objective} of each trial${best !== undefined ? `; best trial ${best} marked` : ""}`}
        height={240}
      />
    </>
  );
}
