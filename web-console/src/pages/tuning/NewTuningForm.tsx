import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import {
  DataPreparationFields,
  numberOrText as number,
  PREPARATION_DEFAULTS,
  preparationBody,
  sourceUnavailable,
  TrainingSourceFields,
  useTrainingSource,
} from "../training/TrainingSource";
import { TUNING_QUERY, type TuningJob } from "./tuning";

type Request = components["schemas"]["TuningJobRequest"];
type Task = Request["task"];
type Architecture = NonNullable<Request["architecture"]>;
type Objective = NonNullable<Request["objective"]>;
type Strategy = NonNullable<Request["strategy"]>;
type Kind = "log_uniform" | "uniform" | "int" | "choice";

/** One row of the search-space editor; `values` is the text typed, sent as the API reads it. */
type Row = { key: number; name: string; kind: Kind; values: string };

const OBJECTIVES: Record<Task, Objective[]> = {
  classification: [
    "f1_macro",
    "accuracy",
    "precision_macro",
    "recall_macro",
    "roc_auc",
    "pr_auc",
    "log_loss",
  ],
  regression: ["r2", "mse", "mae"],
};

/** The names a search space may hold, by architecture (the same as a training job's hyperparameters). */
const NAMES: Record<Architecture, string[]> = {
  linear: ["learning_rate", "batch_size", "epochs", "optimizer", "l1", "l2", "patience", "architecture"],
  mlp: [
    "learning_rate",
    "batch_size",
    "epochs",
    "hidden_units",
    "optimizer",
    "l1",
    "l2",
    "patience",
    "architecture",
  ],
  cnn: ["learning_rate", "batch_size", "epochs", "conv_channels", "dropout", "optimizer", "patience"],
};

/** A sensible starting domain for each name, so a new row is valid as it is. */
const DEFAULT_DOMAIN: Record<string, { kind: Kind; values: string }> = {
  learning_rate: { kind: "log_uniform", values: "0.0001, 0.1" },
  batch_size: { kind: "int", values: "16, 128" },
  epochs: { kind: "int", values: "5, 30" },
  hidden_units: { kind: "choice", values: "[32], [64, 32], [128, 64]" },
  conv_channels: { kind: "choice", values: "[16, 32], [32, 64]" },
  dropout: { kind: "uniform", values: "0, 0.5" },
  optimizer: { kind: "choice", values: "adam, sgd" },
  l1: { kind: "log_uniform", values: "0.00001, 0.01" },
  l2: { kind: "log_uniform", values: "0.00001, 0.01" },
  patience: { kind: "int", values: "0, 5" },
  architecture: { kind: "choice", values: "linear, mlp" },
};

function defaultDomain(name: string): { kind: Kind; values: string } {
  return DEFAULT_DOMAIN[name] ?? { kind: "choice", values: "" };
}

let nextKey = 0;
function row(name: string): Row {
  return { key: nextKey++, name, ...defaultDomain(name) };
}

function defaultRows(architecture: Architecture): Row[] {
  const names =
    architecture === "mlp"
      ? ["learning_rate", "hidden_units", "epochs"]
      : architecture === "cnn"
        ? ["learning_rate", "dropout", "epochs"]
        : ["learning_rate", "batch_size", "epochs"];
  return names.map(row);
}

/**
 * A domain as the API reads it: a range is two numbers, a choice a list of values (JSON such as
 * `[64, 32]` or plain words). Text that is neither is sent as typed, for the API to explain.
 */
function domain(kind: Kind, text: string): Record<string, unknown> {
  if (kind === "choice") {
    try {
      return { choice: JSON.parse(`[${text}]`) as unknown[] };
    } catch {
      return { choice: text.split(",").map((v) => v.trim()) };
    }
  }
  const parts = text.split(",").map((v) => v.trim());
  const numbers = parts.map(Number);
  return {
    [kind]: parts.length === 2 && numbers.every(Number.isFinite) && parts[0] && parts[1] ? numbers : text,
  };
}

/** A new tuning job: the training fields every trial shares, the objective, strategy and search space. */
export function NewTuningForm({ onStarted }: { onStarted: (job: TuningJob) => void }) {
  const queryClient = useQueryClient();
  const source = useTrainingSource();
  const [preparation, setPreparation] = useState(PREPARATION_DEFAULTS);
  const [objective, setObjective] = useState<Objective | "">("");
  const [strategy, setStrategy] = useState<Strategy>("random");
  const [maxTrials, setMaxTrials] = useState("10");
  const [parallelTrials, setParallelTrials] = useState("1");
  const [seed, setSeed] = useState("0");
  const [rows, setRows] = useState<Row[]>(() => defaultRows("mlp"));
  const chosenTask: Task = source.task;
  const chosenArchitecture: Architecture = source.architecture;
  // The objective follows the task: its default (f1_macro or r2) until one of the task's is picked.
  const chosenObjective =
    objective && OBJECTIVES[chosenTask].includes(objective) ? objective : OBJECTIVES[chosenTask][0];
  const names = NAMES[chosenArchitecture];

  const start = useMutation({
    mutationFn: () => {
      const searchSpace = Object.fromEntries(rows.map((r) => [r.name, domain(r.kind, r.values)]));
      const body = {
        ...source.body,
        ...preparationBody(source, preparation, false),
        objective: chosenObjective,
        strategy,
        max_trials: number(maxTrials),
        parallel_trials: number(parallelTrials),
        seed: number(seed),
        search_space: searchSpace,
      } as Request;
      return unwrap(api.POST("/v1/tuning-jobs", { body }));
    },
    onSuccess: (job) => {
      void queryClient.invalidateQueries({ queryKey: TUNING_QUERY, exact: true });
      onStarted(job);
    },
  });

  const unavailable = sourceUnavailable(
    source,
    "Upload a dataset to start: a tuning job trains its trials on one.",
  );
  if (unavailable) return unavailable;
  const error = start.error;
  const update = (key: number, change: Partial<Row>) =>
    setRows((current) => current.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const unused = names.filter((n) => !rows.some((r) => r.name === n));

  function submit(event: FormEvent) {
    event.preventDefault();
    start.mutate();
  }

  return (
    <form onSubmit={submit} aria-labelledby="new-tuning">
      <h2 id="new-tuning">Search hyperparameters</h2>
      <ProblemAlert error={error} />
      <div className="form-grid">
        <TrainingSourceFields
          source={source}
          error={error}
          modelHint="The best trial becomes its next version."
          onArchitecture={(next) => setRows(defaultRows(next))}
        />
        <Field
          label="Objective"
          name="objective"
          error={error}
          hint="Measured on the held-out split; log_loss, mse and mae are minimized, the rest maximized."
        >
          <select value={chosenObjective} onChange={(e) => setObjective(e.target.value as Objective)}>
            {OBJECTIVES[chosenTask].map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Strategy"
          name="strategy"
          error={error}
          hint="random draws each trial; grid walks the grid; asha also stops weak trials early."
        >
          <select value={strategy} onChange={(e) => setStrategy(e.target.value as Strategy)}>
            <option value="random">random</option>
            <option value="grid">grid</option>
            <option value="asha">asha</option>
          </select>
        </Field>
        <Field label="Max trials" name="max_trials" error={error} hint="1–100, default 10.">
          <input type="number" value={maxTrials} onChange={(e) => setMaxTrials(e.target.value)} />
        </Field>
        <Field label="Parallel trials" name="parallel_trials" error={error} hint="1–10, default 1.">
          <input type="number" value={parallelTrials} onChange={(e) => setParallelTrials(e.target.value)} />
        </Field>
        <Field
          label="Seed"
          name="seed"
          error={error}
          hint="Same seed, same data: same trials and best trial."
        >
          <input type="number" value={seed} onChange={(e) => setSeed(e.target.value)} />
        </Field>
      </div>
      <DataPreparationFields
        source={source}
        preparation={preparation}
        onChange={setPreparation}
        error={error}
        crossValidation={false}
      />
      <fieldset>
        <legend>Search space</legend>
        <p className="muted">
          Ranges are two numbers (“0.0001, 0.1”), both ends included; a choice lists its values (“adam, sgd”
          or “[32], [64, 32]” for layer sizes).
        </p>
        {rows.map((r) => (
          <div className="form-grid" key={r.key} data-testid="search-row">
            <div className="field">
              <label htmlFor={`ss-name-${r.key}`}>Hyperparameter</label>
              <select
                id={`ss-name-${r.key}`}
                value={r.name}
                onChange={(e) => update(r.key, { name: e.target.value, ...defaultDomain(e.target.value) })}
              >
                {[r.name, ...unused].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`ss-kind-${r.key}`}>Domain</label>
              <select
                id={`ss-kind-${r.key}`}
                value={r.kind}
                onChange={(e) => update(r.key, { kind: e.target.value as Kind })}
              >
                <option value="log_uniform">log-uniform range</option>
                <option value="uniform">uniform range</option>
                <option value="int">integer range</option>
                <option value="choice">choice</option>
              </select>
            </div>
            <Field
              label={r.kind === "choice" ? "Choices" : "Bounds"}
              name={`search_space.${r.name}`}
              error={error}
            >
              <input value={r.values} onChange={(e) => update(r.key, { values: e.target.value })} />
            </Field>
            <div className="field">
              <button
                type="button"
                className="button"
                aria-label={`Remove ${r.name}`}
                onClick={() => setRows((current) => current.filter((x) => x.key !== r.key))}
              >
                Remove
              </button>
            </div>
          </div>
        ))}
        {unused.length > 0 && (
          <button
            type="button"
            className="button"
            onClick={() => setRows((current) => [...current, row(unused[0] ?? "")])}
          >
            Add hyperparameter
          </button>
        )}
      </fieldset>
      <button type="submit" className="button button-primary" disabled={start.isPending}>
        {start.isPending ? "Starting…" : "Start tuning"}
      </button>
    </form>
  );
}
