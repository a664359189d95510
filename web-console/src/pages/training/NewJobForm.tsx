import { useMemo, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Empty, Loading } from "../../components/States";
import { JOBS_QUERY, type TrainingJob } from "./jobs";

type Dataset = components["schemas"]["Dataset"];
type Request = components["schemas"]["TrainingJobRequest"];
type Task = Request["task"];
type Architecture = NonNullable<Request["architecture"]>;

/** Every hyperparameter with the API's default, as text so a wrong value reaches the API and is explained. */
const DEFAULTS = {
  epochs: "20",
  batch_size: "32",
  learning_rate: "0.01",
  cnn_learning_rate: "0.001",
  optimizer: "adam",
  regression_loss: "l2",
  l1: "0",
  l2: "0",
  hidden_units: "64, 32",
  conv_channels: "32, 64",
  dropout: "0.25",
  augment: "false",
  patience: "0",
  validation_split: "0.2",
  seed: "0",
  // Data preparation: the split and class weights apply to CSV classification; folds to CSV data.
  split: "stratified",
  class_weight: "none",
  cv_folds: "",
};
type Values = typeof DEFAULTS;

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

/** Comma-separated integers as an array; anything else as typed, for the API to explain. */
function integers(text: string): number[] | string {
  const parts = text.split(",").map((u) => u.trim());
  return parts.every((u) => /^\d+$/.test(u)) ? parts.map(Number) : text;
}

function number(text: string): number | string {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

/** A new training job, built from the chosen dataset's schema. */
export function NewJobForm({ onStarted }: { onStarted: (job: TrainingJob) => void }) {
  const queryClient = useQueryClient();
  const datasets = useQuery({ queryKey: ["datasets"], queryFn: () => unwrap(api.GET("/v1/datasets")) });
  const [datasetId, setDatasetId] = useState("");
  const [model, setModel] = useState("");
  const [task, setTask] = useState<Task>("classification");
  const [label, setLabel] = useState("");
  const [architecture, setArchitecture] = useState<Architecture>("mlp");
  const [values, setValues] = useState<Values>(DEFAULTS);

  const listed = datasets.data?.data.find((d) => d.id === datasetId) ?? datasets.data?.data[0];
  // The list leaves schemas out; the chosen dataset's detail has the columns the form is built from.
  const detail = useQuery({
    queryKey: ["datasets", listed?.id],
    queryFn: () => unwrap(api.GET("/v1/datasets/{id}", { params: { path: { id: listed?.id ?? "" } } })),
    enabled: listed !== undefined,
  });
  const dataset = detail.data ?? listed;
  const images = dataset?.format === "images";
  const labels = useMemo(() => (dataset ? suitableLabels(dataset, task) : []), [dataset, task]);
  const chosenLabel = labels.includes(label) ? label : (labels[0] ?? "");
  const chosenArchitecture: Architecture = images ? "cnn" : architecture === "cnn" ? "mlp" : architecture;
  const chosenTask: Task = images ? "classification" : task;
  const defaultLoss = chosenTask === "classification" ? "softmax_cross_entropy" : "l2";
  // the cnn has its own default learning rate; each architecture keeps what was typed for it
  const learningRateKey = chosenArchitecture === "cnn" ? "cnn_learning_rate" : "learning_rate";
  // The API refuses a stratified split or balanced weights for regression, and folds for image (cnn)
  // datasets, so the form only offers them where they mean something.
  const tabular = !images;
  const classifier = chosenTask === "classification";

  const start = useMutation({
    mutationFn: () => {
      const hyperparameters: Record<string, unknown> = {
        epochs: number(values.epochs),
        batch_size: number(values.batch_size),
        learning_rate: number(values[learningRateKey]),
        optimizer: values.optimizer,
        loss: chosenTask === "classification" ? "softmax_cross_entropy" : values.regression_loss,
        l1: number(values.l1),
        l2: number(values.l2),
        patience: number(values.patience),
      };
      if (chosenArchitecture === "mlp") {
        hyperparameters.hidden_units = integers(values.hidden_units);
      }
      if (chosenArchitecture === "cnn") {
        hyperparameters.conv_channels = integers(values.conv_channels);
        hyperparameters.dropout = number(values.dropout);
        hyperparameters.augment = values.augment === "true";
      }
      const body = {
        dataset_id: dataset?.id ?? "",
        model,
        task: chosenTask,
        ...(images ? {} : { label: chosenLabel }),
        architecture: chosenArchitecture,
        hyperparameters,
        validation_split: number(values.validation_split),
        seed: number(values.seed),
        ...(classifier ? { split: values.split, class_weight: values.class_weight } : {}),
        ...(tabular && values.cv_folds.trim() !== "" ? { cv_folds: number(values.cv_folds) } : {}),
      } as Request;
      return unwrap(api.POST("/v1/training-jobs", { body }));
    },
    onSuccess: (job) => {
      void queryClient.invalidateQueries({ queryKey: JOBS_QUERY, exact: true });
      onStarted(job);
    },
  });

  if (datasets.isPending) return <Loading />;
  if (datasets.isError) return <ProblemAlert error={datasets.error} />;
  if (datasets.data.data.length === 0) {
    return <Empty>Upload a dataset to start: a training job learns from one.</Empty>;
  }

  const set = (key: keyof Values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));
  const error = start.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    start.mutate();
  }

  return (
    <form onSubmit={submit} aria-labelledby="new-job">
      <h2 id="new-job">Train a model</h2>
      <ProblemAlert error={error} />
      <div className="form-grid">
        <Field label="Dataset" name="dataset_id" error={error}>
          <select value={dataset?.id ?? ""} onChange={(e) => setDatasetId(e.target.value)}>
            {datasets.data.data.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.format === "csv" ? `${d.rows ?? "?"} rows` : `${d.rows ?? "?"} images`})
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Model name"
          name="model"
          error={error}
          hint="Lower-case letters, digits, - and _; a new version if it exists."
        >
          <input required value={model} onChange={(e) => setModel(e.target.value)} autoComplete="off" />
        </Field>
        <Field label="Task" name="task" error={error}>
          <select value={chosenTask} disabled={images} onChange={(e) => setTask(e.target.value as Task)}>
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
              chosenTask === "regression"
                ? "Numeric columns with a value in every row."
                : "Columns with a value in every row and 2 to 1000 classes."
            }
          >
            <select value={chosenLabel} onChange={(e) => setLabel(e.target.value)} required>
              {labels.length === 0 && (
                <option value="">{detail.isPending ? "Loading columns…" : "No suitable column"}</option>
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
            value={chosenArchitecture}
            disabled={images}
            onChange={(e) => setArchitecture(e.target.value as Architecture)}
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
      </div>
      <fieldset>
        <legend>Hyperparameters</legend>
        <div className="form-grid">
          <Field label="Epochs" name="hyperparameters.epochs" error={error} hint="1–1000, default 20.">
            <input type="number" value={values.epochs} onChange={set("epochs")} />
          </Field>
          <Field
            label="Batch size"
            name="hyperparameters.batch_size"
            error={error}
            hint="1–4096, default 32."
          >
            <input type="number" value={values.batch_size} onChange={set("batch_size")} />
          </Field>
          <Field
            label="Learning rate"
            name="hyperparameters.learning_rate"
            error={error}
            hint={`Above 0, at most 1; default ${DEFAULTS[learningRateKey]}.`}
          >
            <input type="number" step="any" value={values[learningRateKey]} onChange={set(learningRateKey)} />
          </Field>
          <Field label="Optimizer" name="hyperparameters.optimizer" error={error} hint="Default adam.">
            <select value={values.optimizer} onChange={set("optimizer")}>
              <option value="adam">adam</option>
              <option value="sgd">sgd</option>
            </select>
          </Field>
          <Field label="Loss" name="hyperparameters.loss" error={error} hint={`Default ${defaultLoss}.`}>
            {chosenTask === "classification" ? (
              <select value="softmax_cross_entropy" disabled>
                <option value="softmax_cross_entropy">softmax_cross_entropy</option>
              </select>
            ) : (
              <select value={values.regression_loss} onChange={set("regression_loss")}>
                <option value="l2">l2</option>
                <option value="l1">l1</option>
              </select>
            )}
          </Field>
          <Field label="L1 penalty" name="hyperparameters.l1" error={error} hint="0–1, default 0.">
            <input type="number" step="any" value={values.l1} onChange={set("l1")} />
          </Field>
          <Field label="L2 penalty" name="hyperparameters.l2" error={error} hint="0–1, default 0.">
            <input type="number" step="any" value={values.l2} onChange={set("l2")} />
          </Field>
          {chosenArchitecture === "mlp" && (
            <Field
              label="Hidden units"
              name="hyperparameters.hidden_units"
              error={error}
              hint="Layer sizes, comma separated; default 64, 32."
            >
              <input value={values.hidden_units} onChange={set("hidden_units")} />
            </Field>
          )}
          {chosenArchitecture === "cnn" && (
            <>
              <Field
                label="Conv channels"
                name="hyperparameters.conv_channels"
                error={error}
                hint="Channels of each conv block (1 to 3, each 4–256), comma separated; default 32, 64."
              >
                <input value={values.conv_channels} onChange={set("conv_channels")} />
              </Field>
              <Field label="Dropout" name="hyperparameters.dropout" error={error} hint="0–0.9, default 0.25.">
                <input type="number" step="any" value={values.dropout} onChange={set("dropout")} />
              </Field>
              <Field
                label="Augment"
                name="hyperparameters.augment"
                error={error}
                hint="Random flips and shifts of the training images; default off."
              >
                <input
                  type="checkbox"
                  checked={values.augment === "true"}
                  onChange={(e) => setValues((v) => ({ ...v, augment: String(e.target.checked) }))}
                />
              </Field>
            </>
          )}
          <Field
            label="Early-stopping patience"
            name="hyperparameters.patience"
            error={error}
            hint="Epochs without a better validation loss; 0 = off (default)."
          >
            <input type="number" value={values.patience} onChange={set("patience")} />
          </Field>
          <Field label="Validation split" name="validation_split" error={error} hint="0.05–0.5, default 0.2.">
            <input
              type="number"
              step="any"
              value={values.validation_split}
              onChange={set("validation_split")}
            />
          </Field>
          <Field label="Seed" name="seed" error={error} hint="Same seed, same data: same metrics. Default 0.">
            <input type="number" value={values.seed} onChange={set("seed")} />
          </Field>
        </div>
      </fieldset>
      {(tabular || classifier) && (
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
                  <select value={values.split} onChange={set("split")}>
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
                  <select value={values.class_weight} onChange={set("class_weight")}>
                    <option value="none">none</option>
                    <option value="balanced">balanced</option>
                  </select>
                </Field>
              </>
            )}
            {tabular && (
              <Field
                label="Cross-validation folds"
                name="cv_folds"
                error={error}
                hint="3–10 for small datasets (about k + 1 times the training time); blank = off (default)."
              >
                <input type="number" value={values.cv_folds} onChange={set("cv_folds")} placeholder="off" />
              </Field>
            )}
          </div>
        </fieldset>
      )}
      <button type="submit" className="button button-primary" disabled={start.isPending}>
        {start.isPending ? "Starting…" : "Start training"}
      </button>
    </form>
  );
}
