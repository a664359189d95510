import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useCan } from "../../app/permissions";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { modelQuery, type Model } from "./models";

export const deploymentQuery = (name: string) => ["models", name, "deployment"] as const;

/** The deployed version of a model (null when none), as GET .../deployment says. */
export function useDeployment(name: string) {
  return useQuery({
    queryKey: deploymentQuery(name),
    queryFn: () =>
      unwrap(api.GET("/v1/models/{name}/deployment", { params: { path: { name } } })).catch((e: unknown) => {
        // 409 model-not-deployed is an answer, not a failure: the model exists, nothing serves it.
        if (e instanceof ApiError && e.status === 409) return null;
        throw e;
      }),
    refetchInterval: (q) => (q.state.data?.state === "loading" ? 2000 : false),
  });
}

const BATCHING = {
  max_batch_size: "32",
  max_batch_delay_ms: "2",
  max_queue: "1024",
  timeout_ms: "10000",
};

/** The batching settings as the form shows them, with the contract's bounds and defaults. */
const BATCHING_FIELDS: { name: keyof typeof BATCHING; label: string; hint: string }[] = [
  { name: "max_batch_size", label: "Max batch size", hint: "1–1024, default 32." },
  { name: "max_batch_delay_ms", label: "Max batch delay (ms)", hint: "0–1000, default 2." },
  { name: "max_queue", label: "Max queue", hint: "1–100000, default 1024." },
  { name: "timeout_ms", label: "Timeout (ms)", hint: "100–300000, default 10000." },
];

/** Which version serves, its state, and (for those who may) deploy with batching settings or undeploy. */
export function DeploymentPanel({ model }: { model: Model }) {
  const queryClient = useQueryClient();
  const canChange = useCan("train");
  const deployment = useDeployment(model.name);
  const [version, setVersion] = useState(String(model.latest_version));
  const [batching, setBatching] = useState(BATCHING);

  const refreshModel = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: deploymentQuery(model.name) }),
      queryClient.invalidateQueries({ queryKey: modelQuery(model.name) }),
      queryClient.invalidateQueries({ queryKey: ["models"], exact: true }),
    ]);

  const deploy = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/models/{name}/deployment", {
          params: { path: { name: model.name } },
          body: {
            version: Number(version),
            max_batch_size: Number(batching.max_batch_size),
            max_batch_delay_ms: Number(batching.max_batch_delay_ms),
            max_queue: Number(batching.max_queue),
            timeout_ms: Number(batching.timeout_ms),
          },
        }),
      ),
    onSuccess: (d) => {
      queryClient.setQueryData(deploymentQuery(model.name), d);
      void refreshModel();
    },
  });

  const undeploy = () =>
    unwrap(api.DELETE("/v1/models/{name}/deployment", { params: { path: { name: model.name } } })).then(
      () => {
        queryClient.setQueryData(deploymentQuery(model.name), null);
        return refreshModel();
      },
    );

  function submit(event: FormEvent) {
    event.preventDefault();
    deploy.mutate();
  }

  const set = (key: keyof typeof BATCHING) => (e: { target: { value: string } }) =>
    setBatching((b) => ({ ...b, [key]: e.target.value }));

  return (
    <section className="section card" aria-labelledby="deployment">
      <h2 id="deployment">Deployment</h2>
      <QueryView query={deployment}>
        {(d) =>
          d ? (
            <div className="page-header">
              <p data-testid="deployment-state">
                Version <strong>{d.version}</strong> is deployed,{" "}
                <span className={d.state === "ready" ? "badge badge-ok" : "badge badge-warn"}>{d.state}</span>{" "}
                since {formatDateTime(d.deployed_at)} · batches of up to {d.max_batch_size}, waiting at most{" "}
                {d.max_batch_delay_ms} ms · queue {d.max_queue} · timeout {d.timeout_ms} ms
              </p>
              {canChange && (
                <ConfirmDialog
                  trigger={
                    <button type="button" className="button button-danger">
                      Undeploy
                    </button>
                  }
                  title={`Undeploy “${model.name}”?`}
                  description="Predictions for this model are refused (409) until a version is deployed again."
                  confirmLabel="Undeploy"
                  onConfirm={undeploy}
                />
              )}
            </div>
          ) : (
            <p data-testid="deployment-state">Not deployed: predictions are refused until a version is.</p>
          )
        }
      </QueryView>
      {canChange && (
        <form onSubmit={submit}>
          <h3>Deploy a version</h3>
          <ProblemAlert error={deploy.error} />
          <div className="form-grid">
            <Field label="Version" name="version" error={deploy.error}>
              <select value={version} onChange={(e) => setVersion(e.target.value)}>
                {model.versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version}
                  </option>
                ))}
              </select>
            </Field>
            {BATCHING_FIELDS.map((f) => (
              <Field key={f.name} label={f.label} name={f.name} error={deploy.error} hint={f.hint}>
                <input type="number" value={batching[f.name]} onChange={set(f.name)} />
              </Field>
            ))}
          </div>
          <button type="submit" className="button button-primary" disabled={deploy.isPending}>
            {deploy.isPending ? "Deploying… (workers load the version)" : "Deploy"}
          </button>
        </form>
      )}
    </section>
  );
}
