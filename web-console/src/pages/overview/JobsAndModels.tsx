import { useQueries, useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { DataTable } from "../../components/DataTable";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { StateBadge } from "../../components/StateBadge";

type Job = components["schemas"]["TrainingJob"];
type Model = components["schemas"]["Model"];

const ACTIVE = new Set(["queued", "running"]);

/** Running and recent training jobs, and the deployed models with their serving state. */
export function JobsAndModels() {
  const jobs = useQuery({
    queryKey: ["training-jobs"],
    queryFn: () => unwrap(api.GET("/v1/training-jobs")),
    // Keep running jobs moving on the overview without the job page's event stream.
    refetchInterval: (q) => (q.state.data?.data.some((j) => ACTIVE.has(j.state)) ? 3000 : false),
  });
  const models = useQuery({ queryKey: ["models"], queryFn: () => unwrap(api.GET("/v1/models")) });
  const deployed = (models.data?.data ?? []).filter((m) => m.deployment);
  const deployments = useQueries({
    queries: deployed.map((m) => ({
      queryKey: ["deployment", m.name],
      queryFn: () => unwrap(api.GET("/v1/models/{name}/deployment", { params: { path: { name: m.name } } })),
    })),
  });

  return (
    <div className="grid">
      <section aria-labelledby="jobs">
        <h2 id="jobs">Training jobs</h2>
        <QueryView
          query={jobs}
          isEmpty={(d) => d.data.length === 0}
          empty={
            <Empty>
              No training jobs yet. <Link href="/datasets">Upload a dataset to start</Link>.
            </Empty>
          }
        >
          {(d) => {
            const shown = [
              ...d.data.filter((j) => ACTIVE.has(j.state)),
              ...d.data.filter((j) => !ACTIVE.has(j.state)).slice(0, 5),
            ];
            return (
              <DataTable<Job>
                caption="Running and recent training jobs"
                rows={shown}
                rowKey={(j) => j.id}
                columns={[
                  { header: "Model", cell: (j) => j.model },
                  { header: "State", cell: (j) => <StateBadge state={j.state} /> },
                  { header: "Created", cell: (j) => formatDateTime(j.created_at) },
                ]}
              />
            );
          }}
        </QueryView>
      </section>
      <section aria-labelledby="deployed">
        <h2 id="deployed">Deployed models</h2>
        <QueryView
          query={models}
          isEmpty={() => deployed.length === 0}
          empty={<Empty>No model is deployed. Deploy a trained version from the models page.</Empty>}
        >
          {() => (
            <DataTable<Model>
              caption="Deployed models"
              rows={deployed}
              rowKey={(m) => m.name}
              columns={[
                { header: "Model", cell: (m) => m.name },
                { header: "Version", cell: (m) => m.deployment?.version, numeric: true },
                {
                  header: "State",
                  cell: (m) => {
                    const d = deployments[deployed.indexOf(m)]?.data;
                    return d ? <StateBadge state={d.state} /> : "…";
                  },
                },
              ]}
            />
          )}
        </QueryView>
      </section>
    </div>
  );
}
