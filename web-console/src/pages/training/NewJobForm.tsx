import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { JOBS_QUERY, type TrainingJob } from "./jobs";
import {
  DataPreparationFields,
  numberOrText as number,
  PREPARATION_DEFAULTS,
  preparationBody,
  sourceUnavailable,
  TrainingSourceFields,
  useTrainingSource,
} from "./TrainingSource";

type Request = components["schemas"]["TrainingJobRequest"];

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
};
type Values = typeof DEFAULTS;

/** Comma-separated integers as an array; anything else as typed, for the API to explain. */
function integers(text: string): number[] | string {
  const parts = text.split(",").map((u) => u.trim());
  return parts.every((u) => /^\d+$/.test(u)) ? parts.map(Number) : text;
}

/** A new training job, built from the chosen dataset's schema. */
export function NewJobForm({ onStarted }: { onStarted: (job: TrainingJob) => void }) {
  const queryClient = useQueryClient();
  const source = useTrainingSource();
  const [values, setValues] = useState<Values>(DEFAULTS);
  const [preparation, setPreparation] = useState(PREPARATION_DEFAULTS);
  const chosenTask = source.task;
  const chosenArchitecture = source.architecture;
  const defaultLoss = chosenTask === "classification" ? "softmax_cross_entropy" : "l2";
  // the cnn has its own default learning rate; each architecture keeps what was typed for it
  const learningRateKey = chosenArchitecture === "cnn" ? "cnn_learning_rate" : "learning_rate";

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
        ...source.body,
        hyperparameters,
        validation_split: number(values.validation_split),
        seed: number(values.seed),
        ...preparationBody(source, preparation, true),
      } as Request;
      return unwrap(api.POST("/v1/training-jobs", { body }));
    },
    onSuccess: (job) => {
      void queryClient.invalidateQueries({ queryKey: JOBS_QUERY, exact: true });
      onStarted(job);
    },
  });

  const unavailable = sourceUnavailable(source, "Upload a dataset to start: a training job learns from one.");
  if (unavailable) return unavailable;

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
        <TrainingSourceFields
          source={source}
          error={error}
          modelHint="Lower-case letters, digits, - and _; a new version if it exists."
        />
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
      <DataPreparationFields
        source={source}
        preparation={preparation}
        onChange={setPreparation}
        error={error}
        crossValidation
      />
      <button type="submit" className="button button-primary" disabled={start.isPending}>
        {start.isPending ? "Starting…" : "Start training"}
      </button>
    </form>
  );
}
