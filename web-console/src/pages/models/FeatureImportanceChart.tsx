import { useMemo } from "react";
import { Chart } from "../../components/charts/Chart";
import { formatMetric, type FeatureImportance } from "./models";

/**
 * Permutation importance as horizontal bars, the most important column on top, with the same
 * numbers (and their spread over the shuffles) in a table for those who cannot see the chart.
 */
export function FeatureImportanceChart({ features }: { features: FeatureImportance[] }) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 120, right: 30, top: 10, bottom: 40 },
      xAxis: { type: "value", name: "drop in the main metric", nameLocation: "middle", nameGap: 28 },
      // Inverse, so the list's first (most important) column is the top bar.
      yAxis: { type: "category", inverse: true, data: features.map((f) => f.feature) },
      series: [{ name: "importance", type: "bar", data: features.map((f) => f.importance) }],
    }),
    [features],
  );
  return (
    <div>
      <h3>Feature importance</h3>
      <p className="muted">
        How much the main metric drops when a column&apos;s values are shuffled; near zero or below, the model
        does not rely on it.
      </p>
      <Chart
        option={option}
        label={`Feature importance, most important first: ${features.map((f) => f.feature).join(", ")}`}
        height={Math.max(160, 50 + features.length * 28)}
      />
      <details>
        <summary>Feature importance as a table</summary>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Feature importance">
          <table className="data-table" data-testid="feature-importance">
            <caption className="visually-hidden">Permutation importance per column</caption>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col" className="num">
                  Importance
                </th>
                <th scope="col" className="num">
                  Std
                </th>
              </tr>
            </thead>
            <tbody>
              {features.map((f) => (
                <tr key={f.feature} data-feature={f.feature} data-importance={f.importance}>
                  <th scope="row">{f.feature}</th>
                  <td className="num">{formatMetric(f.importance)}</td>
                  <td className="num">{formatMetric(f.std)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
