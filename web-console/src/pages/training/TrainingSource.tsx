import { useMemo, useState, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Empty, Loading } from "../../components/States";

type Dataset = components["schemas"]["Dataset"];
type Request = components["schemas"]["TrainingJobRequest"];
export type Task = Request["task"];
export type Architecture = NonNullable<Request["architecture"]>;

/**
 * Which columns can be the label: classification needs a categorical or numeric column with a
 * value in every row (and 2 to 1000 classes when the API counted them); regression a numeric one.
 */
export function suitableLabels(dataset: Dataset, task: Task): string[] {
  return (dataset.schema ?? [])
    .filter((c) => c.missing === 0)
    .filter((c) =>
      task === "regression"
        ? c.type === "numeric"
        : c.type === "numeric" || (c.distinct !== undefined && c.distinct >= 2 && c.distinct <= 1000),
    )
    .map((c) => c.name);
}

/**
 * What a training or tuning job learns from: the dataset, model name, task, label and
 * architecture, each as chosen and as the dataset allows (an image dataset is a cnn classifier).
 */
export function useTrainingSource() {
  const datasets = useQuery({ queryKey: ["datasets"], queryFn: () => unwrap(api.GET("/v1/datasets")) });
  const [datasetId, setDatasetId] = useState("");
  const [model, setModel] = useState("");
  const [task, setTask] = useState<Task>("classification");
  const [label, setLabel] = useState("");
  const [architecture, setArchitecture] = useState<Architecture>("mlp");

  const listed = datasets.data?.data.find((d) => d.id === datasetId) ?? datasets.data?.data[0];
  // The list leaves schemas out; the chosen dataset's detail has the columns the form is built from.
  const detail = useQuery({
    queryKey: ["datasets", listed?.id],
    queryFn: () => unwrap(api.GET("/v1/datasets/{id}", { params: { path: { id: listed?.id ?? "" } } })),
    enabled: listed !== undefined,
  });
  const dataset = detail.data ?? listed;
  const images = dataset?.format === "images";
  const chosenTask: Task = images ? "classification" : task;
  const labels = useMemo(() => (dataset ? suitableLabels(dataset, chosenTask) : []), [dataset, chosenTask]);
  const chosenLabel = labels.includes(label) ? label : (labels[0] ?? "");
  const chosenArchitecture: Architecture = images ? "cnn" : architecture === "cnn" ? "mlp" : architecture;

  return {
    datasets,
    columnsPending: detail.isPending,
    dataset,
    images,
    /** Tabular (CSV) data, where cross-validation applies (split and weights apply to every classifier). */
    tabular: !images,
    labels,
    model,
    setModel,
    setDatasetId,
    task: chosenTask,
    setTask,
    label: chosenLabel,
    setLabel,
    architecture: chosenArchitecture,
    setArchitecture,
    /** The request fields every job starting from this source sends. */
    body: {
      dataset_id: dataset?.id ?? "",
      model,
      task: chosenTask,
      ...(images ? {} : { label: chosenLabel }),
      architecture: chosenArchitecture,
    },
  };
}

export type TrainingSource = ReturnType<typeof useTrainingSource>;

/** While the datasets load, fail or are none, what the form shows instead of itself; else null. */
export function sourceUnavailable(source: TrainingSource, empty: string): ReactNode {
  if (source.datasets.isPending) return <Loading />;
  if (source.datasets.isError) return <ProblemAlert error={source.datasets.error} />;
  if (source.datasets.data.data.length === 0) return <Empty>{empty}</Empty>;
  return null;
}

/** The dataset, model name, task, label and architecture fields of a job form. */
export function TrainingSourceFields({
  source,
  error,
  modelHint,
  onArchitecture,
}: {
  source: TrainingSource;
  error: unknown;
  modelHint: string;
  /** Called with an architecture picked in the form, after the source has taken it. */
  onArchitecture?: (architecture: Architecture) => void;
}) {
  const { images, labels } = source;
  return (
    <>
      <Field label="Dataset" name="dataset_id" error={error}>
        <select value={source.dataset?.id ?? ""} onChange={(e) => source.setDatasetId(e.target.value)}>
          {source.datasets.data?.data.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.format === "csv" ? `${d.rows ?? "?"} rows` : `${d.rows ?? "?"} images`})
            </option>
          ))}
        </select>
      </Field>
      <Field label="Model name" name="model" error={error} hint={modelHint}>
        <input
          required
          value={source.model}
          onChange={(e) => source.setModel(e.target.value)}
          autoComplete="off"
        />
      </Field>
      <Field label="Task" name="task" error={error}>
        <select
          value={source.task}
          disabled={images}
          onChange={(e) => source.setTask(e.target.value as Task)}
        >
          <option value="classification">Classification</option>
          <option value="regression">Regression</option>
        </select>
      </Field>
      {images ? (
        <Field label="Label" name="label" error={error} hint="An image's class is its folder in the zip.">
          <input value="class (folder)" readOnly />
        </Field>
      ) : (
        <Field
          label="Label"
          name="label"
          error={error}
          hint={
            source.task === "regression"
              ? "Numeric columns with a value in every row."
              : "Columns with a value in every row and 2 to 1000 classes."
          }
        >
          <select value={source.label} onChange={(e) => source.setLabel(e.target.value)} required>
            {labels.length === 0 && (
              <option value="">{source.columnsPending ? "Loading columns…" : "No suitable column"}</option>
            )}
            {labels.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label="Architecture" name="architecture" error={error}>
        <select
          value={source.architecture}
          disabled={images}
          onChange={(e) => {
            const next = e.target.value as Architecture;
            source.setArchitecture(next);
            onArchitecture?.(next);
          }}
        >
          {images ? (
            <option value="cnn">CNN (images)</option>
          ) : (
            <>
              <option value="linear">Linear</option>
              <option value="mlp">MLP</option>
            </>
          )}
        </select>
      </Field>
    </>
  );
}

/** The data-preparation choices, as typed. */
export type Preparation = { split: string; class_weight: string; cv_folds: string };
export const PREPARATION_DEFAULTS: Preparation = { split: "stratified", class_weight: "none", cv_folds: "" };

/**
 * The request fields of the data preparation: the split and class weights apply to CSV
 * classification (the API refuses them elsewhere), cross-validation folds to CSV data when the job
 * kind has them.
 */
export function preparationBody(
  source: TrainingSource,
  preparation: Preparation,
  crossValidation: boolean,
): Record<string, unknown> {
  const classifier = source.task === "classification";
  const folds = preparation.cv_folds.trim();
  return {
    ...(classifier ? { split: preparation.split, class_weight: preparation.class_weight } : {}),
    ...(crossValidation && source.tabular && folds !== "" ? { cv_folds: numberOrText(folds) } : {}),
  };
}

/** A number when the text is one; else the text, for the API to explain. */
export function numberOrText(text: string): number | string {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

/** The data-preparation fieldset, offering only the choices that mean something for the source. */
export function DataPreparationFields({
  source,
  preparation,
  onChange,
  error,
  crossValidation,
}: {
  source: TrainingSource;
  preparation: Preparation;
  onChange: (preparation: Preparation) => void;
  error: unknown;
  crossValidation: boolean;
}) {
  // Split and weights apply to every classifier, CSV or images; folds only to CSV (a cnn per fold is
  // refused by the API as too costly).
  const classifier = source.task === "classification";
  const folds = crossValidation && source.tabular;
  if (!classifier && !folds) return null;
  const set = (key: keyof Preparation) => (e: { target: { value: string } }) =>
    onChange({ ...preparation, [key]: e.target.value });
  return (
    <fieldset>
      <legend>Data preparation</legend>
      <div className="form-grid">
        {classifier && (
          <>
            <Field
              label="Split method"
              name="split"
              error={error}
              hint="Stratified holds out each class in proportion (default)."
            >
              <select value={preparation.split} onChange={set("split")}>
                <option value="stratified">stratified</option>
                <option value="random">random</option>
              </select>
            </Field>
            <Field
              label="Class weights"
              name="class_weight"
              error={error}
              hint="Balanced makes a rare class count as much as a common one. Default none."
            >
              <select value={preparation.class_weight} onChange={set("class_weight")}>
                <option value="none">none</option>
                <option value="balanced">balanced</option>
              </select>
            </Field>
          </>
        )}
        {folds && (
          <Field
            label="Cross-validation folds"
            name="cv_folds"
            error={error}
            hint="3–10 for small datasets (about k + 1 times the training time); blank = off (default)."
          >
            <input type="number" value={preparation.cv_folds} onChange={set("cv_folds")} placeholder="off" />
          </Field>
        )}
      </div>
    </fieldset>
  );
}
