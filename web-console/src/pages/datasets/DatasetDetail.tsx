import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { QueryView } from "../../components/States";
import { formatBytes, formatQuantity } from "../../lib/format";
import type { Dataset } from "./upload";

type Column = NonNullable<Dataset["schema"]>[number];

/** One dataset: its schema, the category counts of its categorical columns, and its first rows. */
export function DatasetDetail({ id }: { id: string }) {
  const dataset = useQuery({
    queryKey: ["datasets", id],
    queryFn: () => unwrap(api.GET("/v1/datasets/{id}", { params: { path: { id } } })),
  });
  return (
    <section className="section card" aria-labelledby="dataset-detail">
      <QueryView query={dataset}>
        {(d) => (
          <>
            <h2 id="dataset-detail">{d.name}</h2>
            <p className="muted">
              {d.format === "csv" ? "CSV" : "Image zip"} · {formatQuantity(d.rows)}{" "}
              {d.format === "csv" ? "rows" : "images"} · {formatBytes(d.bytes)}
            </p>
            <SchemaTable columns={d.schema ?? []} />
            <CategoryCounts columns={(d.schema ?? []).filter((c) => c.counts)} />
            <Preview rows={(d.preview ?? []) as Record<string, unknown>[]} />
          </>
        )}
      </QueryView>
    </section>
  );
}

function SchemaTable({ columns }: { columns: Column[] }) {
  return (
    <>
      <h3>Schema</h3>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Schema">
        <table className="data-table">
          <caption className="visually-hidden">Schema</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
              <th scope="col" className="num">
                Missing
              </th>
              <th scope="col" className="num">
                Distinct values
              </th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.type}</td>
                <td className="num">{formatQuantity(c.missing)}</td>
                <td className="num">{c.distinct === undefined ? "—" : formatQuantity(c.distinct)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CategoryCounts({ columns }: { columns: Column[] }) {
  if (columns.length === 0) return null;
  return (
    <>
      <h3>Category counts</h3>
      <div className="grid">
        {columns.map((c) => {
          const counts = Object.entries(c.counts ?? {}).sort((a, b) => b[1] - a[1]);
          const max = Math.max(1, ...counts.map(([, n]) => n));
          return (
            <div key={c.name}>
              <h4 className="counts-title">{c.name}</h4>
              <dl className="bars">
                {counts.map(([value, n]) => (
                  <div key={value} className="bar-row">
                    <dt>{value}</dt>
                    <dd>
                      <span className="bar" style={{ width: `${(n / max) * 100}%` }} aria-hidden="true" />
                      <span className="bar-value">{formatQuantity(n)}</span>
                    </dd>
                  </div>
                ))}
              </dl>
            </div>
          );
        })}
      </div>
    </>
  );
}

function Preview({ rows }: { rows: Record<string, unknown>[] }) {
  if (rows.length === 0) return null;
  const columns = Object.keys(rows[0] ?? {});
  return (
    <>
      <h3>First rows</h3>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="First rows">
        <table className="data-table">
          <caption className="visually-hidden">First rows</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>{row[c] === null || row[c] === undefined ? "—" : String(row[c])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
