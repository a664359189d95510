import "./datasets.css";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useSearchParams } from "wouter";
import { api, unwrap } from "../../api/client";
import { useCan } from "../../app/permissions";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable } from "../../components/DataTable";
import { Empty, QueryView } from "../../components/States";
import { formatBytes, formatDateTime, formatQuantity } from "../../lib/format";
import { DatasetDetail } from "./DatasetDetail";
import { UploadForm } from "./UploadForm";
import type { Dataset } from "./upload";

export const DATASETS_QUERY = ["datasets"] as const;

/** Datasets: upload (with progress and cancel), list, and one dataset's schema and first rows. */
export default function DatasetsPage() {
  const [search, setSearch] = useSearchParams();
  const selected = search.get("id");
  const canChange = useCan("train");
  const queryClient = useQueryClient();
  const datasets = useQuery({ queryKey: DATASETS_QUERY, queryFn: () => unwrap(api.GET("/v1/datasets")) });

  const remove = (dataset: Dataset) =>
    unwrap(api.DELETE("/v1/datasets/{id}", { params: { path: { id: dataset.id } } })).then(() => {
      if (selected === dataset.id) setSearch({});
      return queryClient.invalidateQueries({ queryKey: DATASETS_QUERY });
    });

  return (
    <>
      <h1>Datasets</h1>
      {canChange && <UploadForm onUploaded={(d) => setSearch({ id: d.id })} />}
      {selected && <DatasetDetail id={selected} />}
      <section className="section" aria-labelledby="datasets-list">
        <h2 id="datasets-list">All datasets</h2>
        <QueryView
          query={datasets}
          isEmpty={(d) => d.data.length === 0}
          empty={
            <Empty>
              {canChange
                ? "No datasets yet. Upload a dataset to start."
                : "No datasets yet. A developer or owner of your team uploads them."}
            </Empty>
          }
        >
          {(d) => (
            <DataTable<Dataset>
              caption="Datasets"
              rows={d.data}
              rowKey={(x) => x.id}
              columns={[
                {
                  header: "Name",
                  cell: (x) => (
                    <Link href={`/datasets?id=${x.id}`} aria-current={x.id === selected ? "true" : undefined}>
                      {x.name}
                    </Link>
                  ),
                },
                { header: "Format", cell: (x) => (x.format === "csv" ? "CSV" : "Images") },
                { header: "Rows", cell: (x) => formatQuantity(x.rows), numeric: true },
                { header: "Size", cell: (x) => formatBytes(x.bytes), numeric: true },
                { header: "Uploaded", cell: (x) => formatDateTime(x.created_at) },
                ...(canChange
                  ? [
                      {
                        header: "Actions",
                        cell: (x: Dataset) => (
                          <ConfirmDialog
                            trigger={
                              <button type="button" className="button button-danger button-small">
                                Delete<span className="visually-hidden"> {x.name}</span>
                              </button>
                            }
                            title={`Delete “${x.name}”?`}
                            description="The file and its stored content are deleted. Models trained on it keep working. This cannot be undone."
                            confirmLabel="Delete dataset"
                            onConfirm={() => remove(x)}
                          />
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </QueryView>
      </section>
    </>
  );
}
