import { useMemo } from "react";
import { Chart } from "../../components/charts/Chart";
import { formatQuantity } from "../../lib/format";
import { formatMetric, type VersionMetrics } from "./models";

/** A classifier version's confusion matrix as a heatmap and its per-class precision, recall and F1. */
export function Evaluation({ metrics, version }: { metrics: VersionMetrics; version: number }) {
  const confusion = metrics.confusion_matrix;
  const option = useMemo(() => {
    if (!confusion) return null;
    const { labels, matrix } = confusion;
    const cells = matrix.flatMap((row, t) => row.map((n, p) => [p, t, n]));
    const max = Math.max(1, ...cells.map((c) => c[2] ?? 0));
    return {
      tooltip: { position: "top" },
      grid: { left: 90, right: 90, top: 10, bottom: 60 },
      xAxis: { type: "category", data: labels, name: "predicted", nameLocation: "middle", nameGap: 30 },
      yAxis: {
        type: "category",
        data: labels,
        name: "true",
        nameLocation: "middle",
        nameGap: 70,
        inverse: true,
      },
      visualMap: {
        min: 0,
        max,
        calculable: false,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        itemHeight: 80,
      },
      series: [{ type: "heatmap", data: cells, label: { show: true } }],
    };
  }, [confusion]);

  return (
    <section className="section card" aria-labelledby="evaluation">
      <h2 id="evaluation">Evaluation of version {version}</h2>
      <p className="muted">On the held-out validation rows.</p>
      <div className="grid">
        {option && confusion && (
          <div>
            <h3>Confusion matrix</h3>
            <Chart
              option={option}
              label={`Confusion matrix: rows are true classes, columns predicted (${confusion.labels.join(", ")})`}
              height={Math.max(260, 60 + confusion.labels.length * 40)}
            />
            <details>
              <summary>Confusion matrix as a table</summary>
              <div className="table-wrap" tabIndex={0} role="region" aria-label="Confusion matrix">
                <table className="data-table">
                  <caption className="visually-hidden">
                    Confusion matrix: rows are true classes, columns predicted classes
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">true \ predicted</th>
                      {confusion.labels.map((l) => (
                        <th key={l} scope="col" className="num">
                          {l}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {confusion.matrix.map((row, t) => (
                      <tr key={confusion.labels[t] ?? t}>
                        <th scope="row">{confusion.labels[t]}</th>
                        {row.map((n, p) => (
                          <td key={p} className="num">
                            {formatQuantity(n)}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </div>
        )}
        {metrics.per_class && (
          <div>
            <h3>Per class</h3>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Per-class metrics">
              <table className="data-table">
                <caption className="visually-hidden">Per-class metrics</caption>
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col" className="num">
                      Precision
                    </th>
                    <th scope="col" className="num">
                      Recall
                    </th>
                    <th scope="col" className="num">
                      F1
                    </th>
                    <th scope="col" className="num">
                      Support
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(metrics.per_class).map(([label, m]) => (
                    <tr key={label}>
                      <td>{label}</td>
                      <td className="num">{formatMetric(m.precision)}</td>
                      <td className="num">{formatMetric(m.recall)}</td>
                      <td className="num">{formatMetric(m.f1)}</td>
                      <td className="num">{formatQuantity(m.support)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
