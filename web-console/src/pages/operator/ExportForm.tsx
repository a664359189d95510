import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { MonthField } from "./MonthField";

type Format = "csv" | "json" | "cloudevents";
// Short labels: a select is as wide as its longest option, and the form must fit a phone.
const FORMATS: { value: Format; label: string; extension: string }[] = [
  { value: "csv", label: "CSV", extension: "csv" },
  { value: "json", label: "JSON", extension: "json" },
  { value: "cloudevents", label: "CloudEvents", extension: "ndjson" },
];

/**
 * Downloads a month's billing export. The export needs the access token, which a plain link would
 * not send: the file is fetched by the API client, then handed to the browser as a download.
 */
export function ExportForm({ periods }: { periods: string[] }) {
  const [period, setPeriod] = useState(periods[0]!);
  const [format, setFormat] = useState<Format>("csv");
  const download = useMutation({
    mutationFn: async () => {
      const blob = await unwrap(
        api.GET("/v1/admin/billing/export", { params: { query: { period, format } }, parseAs: "blob" }),
      );
      const url = URL.createObjectURL(blob as Blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = `billing-${period}.${FORMATS.find((f) => f.value === format)!.extension}`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    download.mutate();
  }
  return (
    <form className="card section" onSubmit={submit} aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p className="muted">
        Final invoices for a closed month, live drafts otherwise. CSV and JSON: one row per invoice line;
        CloudEvents: the month's usage events and carried credits, one JSON object per line.
      </p>
      <ProblemAlert error={download.error} />
      <div className="inline-fields">
        <MonthField id="export-period" periods={periods} value={period} onChange={setPeriod} />
        <div className="field">
          <label htmlFor="export-format">Format</label>
          <select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button type="submit" className="button button-primary" disabled={download.isPending}>
        {download.isPending ? "Preparing…" : "Download export"}
      </button>
    </form>
  );
}
