import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { useCan } from "../../app/permissions";
import { Chart } from "../../components/charts/Chart";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { Empty, QueryView } from "../../components/States";
import { formatQuantity, metricLabel } from "../../lib/format";
import { buckets, pivot, seriesName, startOfMonthUtc, toCsv } from "../../lib/usage";

type Usage = components["schemas"]["Usage"];
type Metric = components["schemas"]["MetricName"];
type GroupBy = Usage["group_by"];
type Granularity = Usage["granularity"];

const METRICS: Metric[] = ["api_calls", "predictions", "training_seconds", "storage_bytes"];

/** A date input's value (YYYY-MM-DD, UTC) for an instant. */
function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Explorer over /v1/usage: metric, grouping, bucket size and dates; chart, table and CSV. */
export default function UsagePage() {
  const [metric, setMetric] = useState<Metric | "">("");
  const [groupBy, setGroupBy] = useState<GroupBy>("metric");
  const [granularity, setGranularity] = useState<Granularity>("day");
  const [fromDay, setFromDay] = useState(day(startOfMonthUtc()));
  const [toDay, setToDay] = useState(day(new Date(Date.now() + 86400_000)));
  const canSeeKeys = useCan("manage_keys");

  const query = {
    from: `${fromDay}T00:00:00Z`,
    to: `${toDay}T00:00:00Z`,
    granularity,
    group_by: groupBy,
    ...(metric ? { metric } : {}),
  };
  const usage = useQuery({
    queryKey: ["usage", query],
    queryFn: () => unwrap(api.GET("/v1/usage", { params: { query } })),
    enabled: Boolean(fromDay && toDay),
  });
  // Key ids mean little to people: name them when the user may list keys.
  const keys = useQuery({
    queryKey: ["keys"],
    queryFn: () => unwrap(api.GET("/v1/keys")),
    enabled: groupBy === "key" && canSeeKeys,
  });
  const keyNames = useMemo(() => new Map((keys.data?.data ?? []).map((k) => [k.id, k.name])), [keys.data]);

  return (
    <>
      <h1>Usage</h1>
      <form className="card section" onSubmit={(e) => e.preventDefault()} aria-label="Usage filters">
        <div className="inline-fields">
          <Field label="Metric" name="metric" error={usage.error}>
            <select value={metric} onChange={(e) => setMetric(e.target.value as Metric | "")}>
              <option value="">All metrics</option>
              {METRICS.map((m) => (
                <option key={m} value={m}>
                  {metricLabel(m)}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Group by" name="group_by" error={usage.error}>
            <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
              <option value="metric">Metric</option>
              <option value="model">Model</option>
              <option value="key">API key</option>
            </select>
          </Field>
          <Field label="Granularity" name="granularity" error={usage.error}>
            <select value={granularity} onChange={(e) => setGranularity(e.target.value as Granularity)}>
              <option value="day">Day</option>
              <option value="hour">Hour</option>
            </select>
          </Field>
          <Field label="From (UTC)" name="from" error={usage.error}>
            <input type="date" required value={fromDay} onChange={(e) => setFromDay(e.target.value)} />
          </Field>
          <Field label="To (UTC, exclusive)" name="to" error={usage.error}>
            <input type="date" required value={toDay} onChange={(e) => setToDay(e.target.value)} />
          </Field>
        </div>
      </form>
      <QueryView
        query={usage}
        isEmpty={(u) => u.series.length === 0}
        empty={
          <Empty>No usage in this range. Calls, predictions and training show here once they happen.</Empty>
        }
      >
        {(u) => <UsageResult usage={u} keyNames={keyNames} />}
      </QueryView>
    </>
  );
}

function UsageResult({ usage, keyNames }: { usage: Usage; keyNames: Map<string, string> }) {
  const names = usage.series.map((s) =>
    usage.group_by === "metric" ? metricLabel(seriesName(s)) : seriesName(s, keyNames),
  );
  const starts = buckets(new Date(usage.from), new Date(usage.to), usage.granularity);
  const rows = pivot(usage, starts);
  const label = (start: string) =>
    usage.granularity === "day" ? start.slice(0, 10) : start.slice(0, 16).replace("T", " ");

  const option = useMemo(
    () => ({
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 56, right: 16, top: 36, bottom: 56 },
      xAxis: { type: "category", data: starts.map(label) },
      yAxis: { type: "value" },
      dataZoom: starts.length > 48 ? [{ type: "slider", bottom: 8 }] : [],
      series: names.map((name, i) => ({
        name,
        type: "line",
        showSymbol: false,
        data: rows.map((r) => r[i] ?? 0),
      })),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [usage, keyNames],
  );
  const csv = toCsv(
    ["start", ...names],
    rows.map((r, i) => [starts[i] ?? "", ...r]),
  );
  const nonEmpty = rows
    .map((r, i) => ({ start: starts[i] ?? "", values: r }))
    .filter((r) => r.values.some((v) => v));

  return (
    <>
      <section className="card section" aria-labelledby="usage-chart">
        <h2 id="usage-chart">Chart</h2>
        <Chart
          option={option}
          label={`Line chart of usage per ${usage.granularity}, by ${usage.group_by}`}
          height={320}
        />
      </section>
      <section className="section" aria-labelledby="usage-table">
        <div className="page-header">
          <h2 id="usage-table">Table</h2>
          <a
            className="button"
            download={`usage-${usage.group_by}-${usage.from.slice(0, 10)}.csv`}
            href={URL.createObjectURL(new Blob([csv], { type: "text/csv" }))}
          >
            Download CSV
          </a>
        </div>
        <DataTable<{ start: string; values: number[] }>
          caption={`Usage per ${usage.granularity}`}
          rows={nonEmpty}
          rowKey={(r) => r.start}
          columns={[
            { header: usage.granularity === "day" ? "Day" : "Hour (UTC)", cell: (r) => label(r.start) },
            ...names.map((name, i) => ({
              header: name,
              numeric: true,
              cell: (r: { values: number[] }) => formatQuantity(r.values[i]),
            })),
          ]}
        />
      </section>
    </>
  );
}
