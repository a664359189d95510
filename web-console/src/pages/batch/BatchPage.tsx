import "../datasets/datasets.css";
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { useCan } from "../../app/permissions";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Empty, QueryView } from "../../components/States";
import { formatBytes, formatDateTime, formatQuantity } from "../../lib/format";
import { downloadResult } from "./download";
import { StateBadge } from "../../components/StateBadge";

type BatchPrediction = components["schemas"]["BatchPrediction"];

const BATCH_QUERY = ["batch-predictions"] as const;
const ACTIVE = new Set(["queued", "running"]);

/** Batch predictions: run a model over a whole dataset, follow it, download the CSV, delete. */
export default function BatchPage() {
  const canRun = useCan("predict");
  const queryClient = useQueryClient();
  const [actionError, setActionError] = useState<unknown>(null);
  const batches = useQuery({
    queryKey: BATCH_QUERY,
    queryFn: () => unwrap(api.GET("/v1/batch-predictions")),
    // Progress moves on the workers; follow it while any job is still going.
    refetchInterval: (q) => (q.state.data?.data.some((b) => ACTIVE.has(b.state)) ? 1000 : false),
  });
  const datasets = useQuery({ queryKey: ["datasets"], queryFn: () => unwrap(api.GET("/v1/datasets")) });
  const datasetName = (id: string) => datasets.data?.data.find((d) => d.id === id)?.name ?? id.slice(0, 8);
  const refresh = () => queryClient.invalidateQueries({ queryKey: BATCH_QUERY });

  const cancel = (b: BatchPrediction) =>
    unwrap(api.POST("/v1/batch-predictions/{id}/cancel", { params: { path: { id: b.id } } })).then(refresh);
  const remove = (b: BatchPrediction) =>
    unwrap(api.DELETE("/v1/batch-predictions/{id}", { params: { path: { id: b.id } } })).then(refresh);

  return (
    <>
      <h1>Batch predictions</h1>
      {canRun && <SubmitForm />}
      <section className="section" aria-labelledby="batch-list">
        <h2 id="batch-list">Jobs</h2>
        <ProblemAlert error={actionError} />
        <QueryView
          query={batches}
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty>No batch predictions yet. Run a model over a whole dataset to see them here.</Empty>}
        >
          {(d) => (
            <DataTable<BatchPrediction>
              caption="Batch predictions"
              rows={d.data}
              rowKey={(b) => b.id}
              columns={[
                { header: "Model", cell: (b) => `${b.model} v${b.version}` },
                { header: "Dataset", cell: (b) => datasetName(b.dataset_id) },
                {
                  header: "State",
                  cell: (b) => <StateBadge state={b.state} />,
                },
                { header: "Progress", cell: (b) => <BatchProgress batch={b} /> },
                {
                  header: "Result",
                  cell: (b) => (b.result_bytes ? formatBytes(b.result_bytes) : "—"),
                  numeric: true,
                },
                { header: "Created", cell: (b) => formatDateTime(b.created_at) },
                {
                  header: "Actions",
                  cell: (b) => (
                    <div className="row-actions">
                      {b.state === "succeeded" && (
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => {
                            setActionError(null);
                            downloadResult(b.id, `${b.model}-v${b.version}-${b.id.slice(0, 8)}.csv`).catch(
                              setActionError,
                            );
                          }}
                        >
                          Download CSV<span className="visually-hidden"> of {b.model}</span>
                        </button>
                      )}
                      {canRun && ACTIVE.has(b.state) && !b.cancel_requested && (
                        <button
                          type="button"
                          className="button button-small button-danger"
                          onClick={() => {
                            setActionError(null);
                            cancel(b).catch(setActionError);
                          }}
                        >
                          Cancel<span className="visually-hidden"> batch of {b.model}</span>
                        </button>
                      )}
                      {canRun && !ACTIVE.has(b.state) && (
                        <ConfirmDialog
                          trigger={
                            <button type="button" className="button button-small button-danger">
                              Delete<span className="visually-hidden"> batch of {b.model}</span>
                            </button>
                          }
                          title="Delete this batch prediction?"
                          description="Its result CSV is deleted and stops counting towards storage. This cannot be undone."
                          confirmLabel="Delete"
                          onConfirm={() => remove(b)}
                        />
                      )}
                    </div>
                  ),
                },
              ]}
            />
          )}
        </QueryView>
      </section>
    </>
  );
}

function BatchProgress({ batch }: { batch: BatchPrediction }) {
  const { rows_done: done = 0, rows_total: total } = batch.progress;
  const percent = batch.state === "succeeded" ? 100 : Math.round((batch.progress.fraction ?? 0) * 100);
  return (
    <span className="batch-progress">
      <progress max={100} value={percent} aria-label={`Progress of ${batch.model} v${batch.version}`}>
        {percent} %
      </progress>{" "}
      {formatQuantity(done)} / {total === null || total === undefined ? "?" : formatQuantity(total)}
    </span>
  );
}

/** Submits a batch prediction of a model (deployed or latest version, or a chosen one) over a dataset. */
function SubmitForm() {
  const queryClient = useQueryClient();
  const models = useQuery({ queryKey: ["models"], queryFn: () => unwrap(api.GET("/v1/models")) });
  const datasets = useQuery({ queryKey: ["datasets"], queryFn: () => unwrap(api.GET("/v1/datasets")) });
  const [modelName, setModelName] = useState("");
  const [version, setVersion] = useState("");
  const [datasetId, setDatasetId] = useState("");

  const model = models.data?.data.find((m) => m.name === modelName) ?? models.data?.data[0];
  const dataset = datasets.data?.data.find((d) => d.id === datasetId) ?? datasets.data?.data[0];

  const submit = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/batch-predictions", {
          body: {
            model: model?.name ?? "",
            dataset_id: dataset?.id ?? "",
            ...(version ? { version: Number(version) } : {}),
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: BATCH_QUERY }),
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit.mutate();
  }

  return (
    <section className="section card" aria-labelledby="new-batch">
      <h2 id="new-batch">Run a batch prediction</h2>
      {models.isError && <ProblemAlert error={models.error} />}
      {datasets.isError && <ProblemAlert error={datasets.error} />}
      {models.data?.data.length === 0 || datasets.data?.data.length === 0 ? (
        <Empty>
          A batch prediction needs a trained model and a dataset: train one and upload the other to start.
        </Empty>
      ) : (
        <form onSubmit={onSubmit}>
          <ProblemAlert error={submit.error} />
          <div className="form-grid">
            <Field label="Model" name="model" error={submit.error}>
              <select
                value={model?.name ?? ""}
                onChange={(e) => {
                  setModelName(e.target.value);
                  setVersion("");
                }}
              >
                {models.data?.data.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Version" name="version" error={submit.error}>
              <select value={version} onChange={(e) => setVersion(e.target.value)}>
                <option value="">
                  {model?.deployment
                    ? `deployed (${model.deployment.version})`
                    : `latest (${model?.latest_version ?? "?"})`}
                </option>
                {model?.versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Dataset" name="dataset_id" error={submit.error}>
              <select value={dataset?.id ?? ""} onChange={(e) => setDatasetId(e.target.value)}>
                {datasets.data?.data.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <button
            type="submit"
            className="button button-primary"
            disabled={submit.isPending || !model || !dataset}
          >
            {submit.isPending ? "Submitting…" : "Run batch prediction"}
          </button>
        </form>
      )}
    </section>
  );
}
