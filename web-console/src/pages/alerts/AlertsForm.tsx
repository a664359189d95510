import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatQuantity, metricLabel } from "../../lib/format";
import { ALERT_METRICS, ALERTS_QUERY, TENANT_QUERY, type AlertSettings } from "./alerts";

/**
 * Thresholds in percent per quota metric (blank for none) and the webhook URL. The API validates
 * both; its words for a field are shown beside that field.
 */
export function AlertsForm({
  saved,
  onSecret,
}: {
  saved: AlertSettings;
  onSecret: (secret: string) => void;
}) {
  const queryClient = useQueryClient();
  const tenant = useQuery({ queryKey: TENANT_QUERY, queryFn: () => unwrap(api.GET("/v1/tenant")) });
  const [thresholds, setThresholds] = useState<Record<string, string>>(() =>
    Object.fromEntries(ALERT_METRICS.map((m) => [m, saved.thresholds[m]?.toString() ?? ""])),
  );
  const [url, setUrl] = useState(saved.webhook_url ?? "");

  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT("/v1/alerts", {
          body: {
            thresholds: Object.fromEntries(
              Object.entries(thresholds)
                .filter(([, v]) => v.trim() !== "")
                .map(([m, v]) => [m, Number(v)]),
            ),
            webhook_url: url.trim() === "" ? null : url.trim(),
          },
        }),
      ),
    onSuccess: (settings) => {
      if (settings.webhook_secret) onSecret(settings.webhook_secret);
      // The secret is not kept in the cache: the next read does not have it either.
      queryClient.setQueryData(ALERTS_QUERY, { ...settings, webhook_secret: undefined });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  function limitHint(metric: string): string {
    const quota = tenant.data?.quotas?.[metric];
    if (!quota) return "percent of the month's limit";
    return quota.limit === null
      ? "your plan has no limit here, so this never crosses"
      : `percent of the month's limit of ${formatQuantity(quota.limit)}`;
  }

  return (
    <form className="card section" onSubmit={submit} aria-labelledby="alerts-settings">
      <h2 id="alerts-settings">Thresholds and webhook</h2>
      <p className="muted">
        When this month's usage reaches a threshold, the overview shows a banner and the webhook receives one
        signed POST. Leave a threshold blank for no alert.
      </p>
      <ProblemAlert error={save.error} />
      {save.isSuccess && (
        <p className="alert alert-info" role="status">
          Alert settings saved.
        </p>
      )}
      <div className="inline-fields">
        {ALERT_METRICS.map((metric) => (
          <Field
            key={metric}
            label={`${metricLabel(metric)} (%)`}
            name={`thresholds.${metric}`}
            error={save.error}
            hint={limitHint(metric)}
          >
            <input
              type="number"
              min={1}
              max={100}
              step={1}
              inputMode="numeric"
              value={thresholds[metric]}
              onChange={(e) => setThresholds((t) => ({ ...t, [metric]: e.target.value }))}
            />
          </Field>
        ))}
      </div>
      <Field label="Webhook URL" name="webhook_url" error={save.error} hint="http or https; blank for none">
        <input
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          maxLength={2048}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </Field>
      <button type="submit" className="button button-primary" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save"}
      </button>
    </form>
  );
}
