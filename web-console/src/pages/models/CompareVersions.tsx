import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "wouter";
import { api, unwrap } from "../../api/client";
import {
  COMPARED_METRICS,
  formatMetric,
  formatSpread,
  type Model,
  type ModelVersion,
  type VersionMetrics,
} from "./models";
import { RocPrCurves, type CurveSource } from "./RocPrCurves";

/** A version picked for comparison: "model v3", its metrics and where it comes from. */
type Picked = { key: string; name: string; model: string; version: ModelVersion; metrics: VersionMetrics };

const keyOf = (model: string, version: number | undefined) => `${model}:${version ?? 0}`;

/**
 * Compare versions: pick two or more versions of this model or of other models of the same task
 * and see their metrics side by side, with ROC and PR curves overlaid for binary classifiers. The
 * picks live in the address (`compare=churn:1,churn:2`), so a comparison can be reloaded or shared.
 */
export function CompareVersions({ model }: { model: Model }) {
  const [search, setSearch] = useSearchParams();
  const models = useQuery({ queryKey: ["models"], queryFn: () => unwrap(api.GET("/v1/models")) });
  // Keyed on the text, not the params object, so a re-render does not redraw the charts.
  const compare = search.get("compare") ?? "";
  const picked = useMemo(() => compare.split(",").filter(Boolean), [compare]);

  // Versions of every model of this task; this model's first.
  const candidates = useMemo(() => {
    const all = (models.data?.data ?? []).filter((m) => m.task === model.task && m.name !== model.name);
    return [model, ...all].flatMap((m) =>
      m.versions.map((v): Picked => ({
        key: keyOf(m.name, v.version),
        name: `${m.name} v${v.version ?? 0}`,
        model: m.name,
        version: v,
        metrics: (v.metrics ?? {}) as VersionMetrics,
      })),
    );
  }, [models.data, model]);
  const chosen = useMemo(() => candidates.filter((c) => picked.includes(c.key)), [candidates, picked]);
  const sources = useMemo<CurveSource[]>(
    () =>
      chosen.map((c) => ({
        name: c.metrics.roc_auc === undefined ? c.name : `${c.name} (AUC ${c.metrics.roc_auc.toFixed(3)})`,
        metrics: c.metrics,
      })),
    [chosen],
  );

  if (candidates.length < 2) return null;

  const toggle = (key: string, on: boolean) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        const keys = picked.filter((k) => k !== key).concat(on ? [key] : []);
        if (keys.length > 0) next.set("compare", keys.join(","));
        else next.delete("compare");
        return next;
      },
      { replace: true },
    );

  const metricNames = (COMPARED_METRICS[model.task] ?? []).filter((m) =>
    chosen.some((c) => c.metrics[m as keyof VersionMetrics] !== undefined),
  );
  const cvNames = [...new Set(chosen.flatMap((c) => Object.keys(c.metrics.cross_validation?.metrics ?? {})))];

  return (
    <section className="section card" aria-labelledby="compare">
      <h2 id="compare">Compare versions</h2>
      <fieldset className="compare-picks">
        <legend>Versions to compare (two or more, of any {model.task} model)</legend>
        {candidates.map((c) => (
          <label key={c.key} className="compare-pick">
            <input
              type="checkbox"
              value={c.key}
              checked={picked.includes(c.key)}
              onChange={(e) => toggle(c.key, e.target.checked)}
            />{" "}
            {c.name}
          </label>
        ))}
      </fieldset>
      {chosen.length < 2 ? (
        <p className="muted">Pick at least two versions.</p>
      ) : (
        <>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Compared versions">
            <table className="data-table" data-testid="compare-table">
              <caption className="visually-hidden">Metrics of the compared versions</caption>
              <thead>
                <tr>
                  <td />
                  {chosen.map((c) => (
                    <th key={c.key} scope="col" data-version={c.key}>
                      {c.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">Architecture</th>
                  {chosen.map((c) => (
                    <td key={c.key}>{c.version.architecture}</td>
                  ))}
                </tr>
                {metricNames.map((m) => (
                  <tr key={m}>
                    <th scope="row">{m}</th>
                    {chosen.map((c) => {
                      const value = c.metrics[m as keyof VersionMetrics];
                      return (
                        <td
                          key={c.key}
                          className="num"
                          data-metric={m}
                          data-version={c.key}
                          data-value={typeof value === "number" ? value : undefined}
                        >
                          {formatMetric(value)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
                {cvNames.map((m) => (
                  <tr key={`cv-${m}`}>
                    <th scope="row">{m} (cross-validated)</th>
                    {chosen.map((c) => (
                      <td key={c.key} className="num">
                        {formatSpread(c.metrics.cross_validation?.metrics[m])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <RocPrCurves sources={sources} />
        </>
      )}
    </section>
  );
}
