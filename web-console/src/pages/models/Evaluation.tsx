import { useMemo } from "react";
import { Chart } from "../../components/charts/Chart";
import { formatQuantity } from "../../lib/format";
import { formatMetric, formatSpread, RESIDUAL_STATS, type VersionMetrics } from "./models";
import { FeatureImportanceChart } from "./FeatureImportanceChart";
import { RocPrCurves } from "./RocPrCurves";

/**
 * A version's evaluation: for classifiers the confusion matrix as a heatmap, per-class precision,
 * recall and F1, log loss and (binary) ROC/PR AUC with their curves; for regressors the residual
 * summary; for both the cross-validated metrics when the job asked for folds.
 */
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
  const curves = useMemo(() => [{ name: `version ${version}`, metrics }], [metrics, version]);
  const scores = (
    [
      ["Log loss", metrics.log_loss],
      [`ROC AUC${metrics.positive_label ? ` (positive: ${metrics.positive_label})` : ""}`, metrics.roc_auc],
      ["PR AUC (average precision)", metrics.pr_auc],
    ] as const
  ).filter(([, value]) => value !== undefined);
  const cv = metrics.cross_validation;

  return (
    <section className="section card" aria-labelledby="evaluation">
      <h2 id="evaluation">Evaluation of version {version}</h2>
      <p className="muted">On the held-out validation rows.</p>
      {scores.length > 0 && (
        <dl className="scores" data-testid="scores">
          {scores.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{formatMetric(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      <RocPrCurves sources={curves} />
      {metrics.feature_importance && metrics.feature_importance.length > 0 && (
        <FeatureImportanceChart features={metrics.feature_importance} />
      )}
      <div className="grid">
        {metrics.residuals && (
          <div>
            <h3>Residuals (true − predicted)</h3>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Residuals">
              <table className="data-table">
                <caption className="visually-hidden">Residual summary</caption>
                <tbody>
                  {RESIDUAL_STATS.map((stat) => (
                    <tr key={stat}>
                      <th scope="row">{stat}</th>
                      <td className="num">{formatMetric(metrics.residuals?.[stat])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
        {cv && (
          <div>
            <h3>Cross-validation ({cv.folds} folds)</h3>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Cross-validation">
              <table className="data-table">
                <caption className="visually-hidden">Mean ± standard deviation over the folds</caption>
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col" className="num">
                      Mean ± std
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(cv.metrics).map(([name, spread]) => (
                    <tr key={name}>
                      <th scope="row">{name}</th>
                      <td className="num">{formatSpread(spread)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
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
