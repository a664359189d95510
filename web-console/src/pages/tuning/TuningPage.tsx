import "../datasets/datasets.css";
import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "wouter";
import { api, unwrap } from "../../api/client";
import { useCan } from "../../app/permissions";
import { DataTable } from "../../components/DataTable";
import { StateBadge } from "../../components/StateBadge";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { NewTuningForm } from "./NewTuningForm";
import { TuningView } from "./TuningView";
import { isTuningFinished, TUNING_QUERY, type TuningJob } from "./tuning";

/** Tuning: start a hyperparameter search, the tenant's tuning jobs, and one followed live. */
export default function TuningPage() {
  const [search, setSearch] = useSearchParams();
  const selected = search.get("job");
  const canChange = useCan("train");
  const jobs = useQuery({
    queryKey: TUNING_QUERY,
    queryFn: () => unwrap(api.GET("/v1/tuning-jobs")),
    refetchInterval: (q) => (q.state.data?.data.some((j) => !isTuningFinished(j.state)) ? 3000 : false),
  });

  return (
    <>
      <h1>Tuning</h1>
      {selected && <TuningView id={selected} />}
      {canChange && !selected && (
        <section className="section card">
          <NewTuningForm onStarted={(job) => setSearch({ job: job.id })} />
        </section>
      )}
      {canChange && selected && (
        <p>
          <Link href="/tuning">Start another search</Link>
        </p>
      )}
      <section className="section" aria-labelledby="tuning-list">
        <h2 id="tuning-list">Tuning jobs</h2>
        <QueryView
          query={jobs}
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty>No tuning jobs yet. Search a model&apos;s hyperparameters to see them here.</Empty>}
        >
          {(d) => (
            <DataTable<TuningJob>
              caption="Tuning jobs"
              rows={d.data}
              rowKey={(j) => j.id}
              columns={[
                {
                  header: "Model",
                  cell: (j) => (
                    <Link href={`/tuning?job=${j.id}`} aria-current={j.id === selected ? "true" : undefined}>
                      {j.model}
                    </Link>
                  ),
                },
                { header: "State", cell: (j) => <StateBadge state={j.state} /> },
                { header: "Objective", cell: (j) => j.objective },
                { header: "Strategy", cell: (j) => j.strategy },
                {
                  header: "Trials",
                  numeric: true,
                  cell: (j) => `${j.trials_started ?? "?"} / ${j.trials_planned ?? j.max_trials}`,
                },
                { header: "Created", cell: (j) => formatDateTime(j.created_at) },
                { header: "Finished", cell: (j) => formatDateTime(j.finished_at) },
              ]}
            />
          )}
        </QueryView>
      </section>
    </>
  );
}
