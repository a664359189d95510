import { useMemo } from "react";
import { Chart } from "../../components/charts/Chart";
import type { VersionMetrics } from "./models";

/** One binary classifier version's curves, named as the legend shows it. */
export type CurveSource = { name: string; metrics: VersionMetrics };

function curveChart(xName: string, yName: string, series: { name: string; data: [number, number][] }[]) {
  return {
    tooltip: { trigger: "item" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 50, right: 20, top: 40, bottom: 45 },
    xAxis: { type: "value", min: 0, max: 1, name: xName, nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", min: 0, max: 1, name: yName, nameLocation: "middle", nameGap: 36 },
    series: series.map((s) => ({ type: "line", showSymbol: false, ...s })),
  };
}

const points = (xs: number[], ys: number[]): [number, number][] =>
  xs.map((x, i) => [x, ys[i] ?? 0] as [number, number]);

/**
 * The ROC and precision-recall curves of binary classifier versions, overlaid: one line per
 * version, with its AUC in the legend so the picture and the number are read together. Versions
 * without curves (more than two classes, image models) are left out.
 */
export function RocPrCurves({ sources }: { sources: CurveSource[] }) {
  const binary = useMemo(() => sources.filter((s) => s.metrics.roc_curve && s.metrics.pr_curve), [sources]);
  const roc = useMemo(
    () =>
      curveChart(
        "false positive rate",
        "true positive rate",
        binary.map((s) => ({
          name: s.name,
          data: points(s.metrics.roc_curve?.fpr ?? [], s.metrics.roc_curve?.tpr ?? []),
        })),
      ),
    [binary],
  );
  const pr = useMemo(
    () =>
      curveChart(
        "recall",
        "precision",
        binary.map((s) => ({
          name: s.name,
          // A PR curve is a staircase: precision holds until the next recall step.
          step: "end",
          data: points(s.metrics.pr_curve?.recall ?? [], s.metrics.pr_curve?.precision ?? []),
        })),
      ),
    [binary],
  );
  if (binary.length === 0) return null;
  const names = binary.map((s) => s.name).join(", ");
  return (
    <div className="grid">
      <div>
        <h3>ROC curve</h3>
        <Chart option={roc} label={`ROC curves of ${names}`} height={300} />
      </div>
      <div>
        <h3>Precision-recall curve</h3>
        <Chart option={pr} label={`Precision-recall curves of ${names}`} height={300} />
      </div>
    </div>
  );
}
