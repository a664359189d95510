import { useQueryClient } from "@tanstack/react-query";
import { useCan } from "../../app/permissions";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { formatBytes, formatDateTime } from "../../lib/format";
import { COMPARED_METRICS, deleteVersion, formatMetric, type Model, type VersionMetrics } from "./models";

/** The model's versions side by side: one column per version, a row per metric and hyperparameter. */
export function VersionsTable({ model, onDeleted }: { model: Model; onDeleted: () => void }) {
  const queryClient = useQueryClient();
  const canChange = useCan("train");
  const versions = model.versions;
  // Log loss and the AUCs only where some version has them (CSV and binary classifiers).
  const metrics = (COMPARED_METRICS[model.task] ?? []).filter((m) =>
    versions.some((v) => (v.metrics as Record<string, unknown> | undefined)?.[m] !== undefined),
  );
  const hyperparameters = [...new Set(versions.flatMap((v) => Object.keys(v.hyperparameters ?? {})))].sort();

  const remove = (version: number) =>
    deleteVersion(model.name, version).then(async () => {
      await queryClient.invalidateQueries({ queryKey: ["models"] });
      if (versions.length === 1) onDeleted();
    });

  const row = (header: string, cell: (v: (typeof versions)[number]) => React.ReactNode, numeric = false) => (
    <tr key={header}>
      <th scope="row">{header}</th>
      {versions.map((v) => (
        <td key={v.version} className={numeric ? "num" : undefined}>
          {cell(v)}
        </td>
      ))}
    </tr>
  );

  return (
    <section className="section" aria-labelledby="versions">
      <h2 id="versions">Versions</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Versions side by side">
        <table className="data-table">
          <caption className="visually-hidden">Versions side by side</caption>
          <thead>
            <tr>
              <td />
              {versions.map((v) => (
                <th key={v.version} scope="col">
                  Version {v.version}
                  {model.deployment?.version === v.version && (
                    <span className="badge badge-ok">deployed</span>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {row("Created", (v) => formatDateTime(v.created_at))}
            {row("Architecture", (v) => v.architecture)}
            {row(
              "Artifact",
              (v) => (v.artifact_bytes === undefined ? "—" : formatBytes(v.artifact_bytes)),
              true,
            )}
            {metrics.map((m) =>
              row(m, (v) => formatMetric((v.metrics as VersionMetrics | undefined)?.[m as "mse"]), true),
            )}
            {hyperparameters.map((h) =>
              row(h, (v) => {
                const value = ((v.hyperparameters ?? {}) as Record<string, unknown>)[h];
                return value === undefined ? "—" : Array.isArray(value) ? value.join(", ") : String(value);
              }),
            )}
            {canChange &&
              row("Actions", (v) =>
                model.deployment?.version === v.version ? (
                  <span className="muted">undeploy to delete</span>
                ) : (
                  <ConfirmDialog
                    trigger={
                      <button type="button" className="button button-danger button-small">
                        Delete<span className="visually-hidden"> version {v.version}</span>
                      </button>
                    }
                    title={`Delete version ${v.version} of “${model.name}”?`}
                    description="Its artifact is deleted and stops counting towards storage. Its number is not issued again. This cannot be undone."
                    confirmLabel="Delete version"
                    onConfirm={() => remove(v.version ?? 0)}
                  />
                ),
              )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
