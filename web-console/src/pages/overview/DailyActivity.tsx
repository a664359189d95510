import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Chart } from "../../components/charts/Chart";
import { QueryView } from "../../components/States";
import { metricLabel } from "../../lib/format";
import { buckets, startOfMonthUtc } from "../../lib/usage";

type Usage = components["schemas"]["Usage"];

const SHOWN = ["api_calls", "predictions"];

/** Calls and predictions per day of the current month, as a bar chart. */
export function DailyActivity() {
  const from = startOfMonthUtc().toISOString();
  const usage = useQuery({
    queryKey: ["usage", "overview", from],
    queryFn: () =>
      unwrap(api.GET("/v1/usage", { params: { query: { from, granularity: "day", group_by: "metric" } } })),
  });
  return (
    <section className="card" aria-labelledby="activity">
      <h2 id="activity">Calls and predictions per day</h2>
      <QueryView query={usage}>{(u) => <ActivityChart usage={u} />}</QueryView>
    </section>
  );
}

function ActivityChart({ usage }: { usage: Usage }) {
  const option = useMemo(() => {
    const days = buckets(new Date(usage.from), new Date(usage.to), "day");
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: days.map((d) => d.slice(8, 10)) },
      yAxis: { type: "value", minInterval: 1 },
      series: SHOWN.map((metric) => {
        const points = usage.series.find((s) => s.metric === metric)?.points ?? [];
        return {
          name: metricLabel(metric),
          type: "bar",
          data: days.map((d) =>
            Number(points.find((p) => Date.parse(p.start) === Date.parse(d))?.quantity ?? 0),
          ),
        };
      }),
    };
  }, [usage]);
  const totals = SHOWN.map((metric) =>
    (usage.series.find((s) => s.metric === metric)?.points ?? []).reduce(
      (sum, p) => sum + Number(p.quantity),
      0,
    ),
  );
  return (
    <>
      <p className="muted" data-testid="month-totals">
        This month: {totals[0]} API calls, {totals[1]} predictions.
      </p>
      <Chart option={option} label="Bar chart of API calls and predictions per day this month" />
    </>
  );
}
