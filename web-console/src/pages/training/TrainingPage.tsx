import "../datasets/datasets.css";
import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "wouter";
import { api, unwrap } from "../../api/client";
import { useCan } from "../../app/permissions";
import { DataTable } from "../../components/DataTable";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { JobView } from "./JobView";
import { NewJobForm } from "./NewJobForm";
import { isFinished, JOBS_QUERY, type TrainingJob } from "./jobs";
import { StateBadge } from "../../components/StateBadge";

/** Training: start a job from a dataset, the job list, and one job followed live. */
export default function TrainingPage() {
  const [search, setSearch] = useSearchParams();
  const selected = search.get("job");
  const canChange = useCan("train");
  const jobs = useQuery({
    queryKey: JOBS_QUERY,
    queryFn: () => unwrap(api.GET("/v1/training-jobs")),
    // The list's states move on their own while jobs run; the open job has its live stream.
    refetchInterval: (q) => (q.state.data?.data.some((j) => !isFinished(j.state)) ? 3000 : false),
  });

  return (
    <>
      <h1>Training</h1>
      {selected && <JobView id={selected} />}
      {canChange && !selected && (
        <section className="section card">
          <NewJobForm onStarted={(job) => setSearch({ job: job.id })} />
        </section>
      )}
      {canChange && selected && (
        <p>
          <Link href="/training">Train another model</Link>
        </p>
      )}
      <section className="section" aria-labelledby="jobs-list">
        <h2 id="jobs-list">Jobs</h2>
        <QueryView
          query={jobs}
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty>No training jobs yet. Train a model on a dataset to see its jobs here.</Empty>}
        >
          {(d) => (
            <DataTable<TrainingJob>
              caption="Training jobs"
              rows={d.data}
              rowKey={(j) => j.id}
              columns={[
                {
                  header: "Model",
                  cell: (j) => (
                    <Link
                      href={`/training?job=${j.id}`}
                      aria-current={j.id === selected ? "true" : undefined}
                    >
                      {j.model}
                    </Link>
                  ),
                },
                { header: "State", cell: (j) => <StateBadge state={j.state} /> },
                { header: "Task", cell: (j) => j.task },
                { header: "Label", cell: (j) => j.label },
                { header: "Architecture", cell: (j) => j.architecture },
                {
                  header: "Epoch",
                  numeric: true,
                  cell: (j) => {
                    const p = j.progress as { epoch?: number; epochs?: number } | undefined;
                    return p?.epoch ? `${p.epoch} / ${p.epochs}` : "—";
                  },
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
