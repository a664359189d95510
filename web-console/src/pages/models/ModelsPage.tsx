import "../datasets/datasets.css";
import "./models.css";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "wouter";
import { api, unwrap } from "../../api/client";
import { useCan } from "../../app/permissions";
import { DataTable } from "../../components/DataTable";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { CompareVersions } from "./CompareVersions";
import { DeploymentPanel, useDeployment } from "./DeploymentPanel";
import { Evaluation } from "./Evaluation";
import { modelQuery, type Model, type VersionMetrics } from "./models";
import { TryIt } from "./TryIt";
import { VersionsTable } from "./VersionsTable";

/** Models: the registry, one model's versions side by side, its evaluation, deployment and try-it form. */
export default function ModelsPage() {
  const [search, setSearch] = useSearchParams();
  const selected = search.get("name");
  const models = useQuery({ queryKey: ["models"], queryFn: () => unwrap(api.GET("/v1/models")) });

  return (
    <>
      <h1>Models</h1>
      <section className="section" aria-labelledby="models-list">
        <h2 id="models-list">Registry</h2>
        <QueryView
          query={models}
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty>No models yet. Models appear here once a training job succeeds.</Empty>}
        >
          {(d) => (
            <DataTable<Model>
              caption="Models"
              rows={d.data}
              rowKey={(m) => m.name}
              columns={[
                {
                  header: "Name",
                  cell: (m) => (
                    <Link
                      href={`/models?name=${m.name}`}
                      aria-current={m.name === selected ? "true" : undefined}
                    >
                      {m.name}
                    </Link>
                  ),
                },
                { header: "Task", cell: (m) => m.task },
                { header: "Versions", cell: (m) => m.versions.length, numeric: true },
                { header: "Latest", cell: (m) => m.latest_version, numeric: true },
                {
                  header: "Deployed",
                  cell: (m) =>
                    m.deployment ? (
                      <span className="badge badge-ok">version {m.deployment.version}</span>
                    ) : (
                      <span className="muted">not deployed</span>
                    ),
                },
                { header: "Updated", cell: (m) => formatDateTime(m.versions[0]?.created_at) },
              ]}
            />
          )}
        </QueryView>
      </section>
      {selected && <ModelDetail name={selected} onGone={() => setSearch({})} />}
    </>
  );
}

function ModelDetail({ name, onGone }: { name: string; onGone: () => void }) {
  const model = useQuery({
    queryKey: modelQuery(name),
    queryFn: () => unwrap(api.GET("/v1/models/{name}", { params: { path: { name } } })),
  });
  return (
    <QueryView query={model}>
      {(m) => (
        <>
          <h2 className="model-title">Model “{m.name}”</h2>
          <DeploymentPanel model={m} />
          <VersionsTable model={m} onDeleted={onGone} />
          <VersionEvaluation model={m} />
          <CompareVersions model={m} />
          <TryItWhenDeployed model={m} />
        </>
      )}
    </QueryView>
  );
}

function VersionEvaluation({ model }: { model: Model }) {
  const [version, setVersion] = useState<number | null>(null);
  const shown = model.versions.find((v) => v.version === version) ?? model.versions[0];
  if (!shown) return null;
  return (
    <>
      {model.versions.length > 1 && (
        <div className="field">
          <label htmlFor="evaluation-version">Evaluation of version</label>
          <select
            id="evaluation-version"
            value={shown.version}
            onChange={(e) => setVersion(Number(e.target.value))}
          >
            {model.versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
              </option>
            ))}
          </select>
        </div>
      )}
      <Evaluation metrics={(shown.metrics ?? {}) as VersionMetrics} version={shown.version ?? 0} />
    </>
  );
}

function TryItWhenDeployed({ model }: { model: Model }) {
  const canPredict = useCan("predict");
  const deployment = useDeployment(model.name);
  if (!canPredict) return null;
  if (!deployment.data) {
    return (
      <section className="section card" aria-labelledby="try-it">
        <h2 id="try-it">Try it</h2>
        <Empty>Deploy a version to try the model here.</Empty>
      </section>
    );
  }
  return <TryIt key={deployment.data.version} model={model.name} />;
}
