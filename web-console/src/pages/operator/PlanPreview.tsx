import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, unwrap } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatMoney, formatQuantity, metricLabel } from "../../lib/format";
import { LINE_LABELS, tierRange } from "../billing/invoice";
import type { PlanBody } from "./operator";
import { PRICE_METRICS, type PriceMetric } from "./planForm";

const DEBOUNCE_MS = 400;

/** Waits until {@code value} has stopped changing for a moment, so typing does not fire a call per key. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * What the entered usage would cost for a whole month under the plan being edited, priced by the
 * API with the code that computes invoices (`POST /v1/admin/plans/preview`); nothing is stored.
 */
export function PlanPreview({ plan }: { plan: PlanBody }) {
  const [usage, setUsage] = useState<Record<PriceMetric, string>>({
    api_calls: "",
    predictions: "",
    training_seconds: "",
    storage_gb_months: "",
  });
  const entered = Object.fromEntries(Object.entries(usage).filter(([, v]) => v.trim() !== ""));
  // A string key, so an unchanged form re-rendered is not a new request.
  const request = useDebounced(
    JSON.stringify({ plan: { ...plan, name: plan.name || "preview" }, usage: entered }),
    DEBOUNCE_MS,
  );
  const preview = useQuery({
    queryKey: ["admin", "plans", "preview", request],
    queryFn: () => unwrap(api.POST("/v1/admin/plans/preview", { body: JSON.parse(request) })),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });

  return (
    <section className="card section" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <p className="muted">Usage in one month; the price is computed as an invoice would compute it.</p>
      <div className="inline-fields">
        {PRICE_METRICS.map((m) => (
          <div className="field" key={m}>
            <label htmlFor={`preview-${m}`}>
              {m === "storage_gb_months" ? "Storage (GB-months)" : metricLabel(m)}
            </label>
            <input
              id={`preview-${m}`}
              name={`usage.${m}`}
              inputMode="decimal"
              value={usage[m]}
              onChange={(e) => setUsage({ ...usage, [m]: e.target.value })}
            />
          </div>
        ))}
      </div>
      <div aria-live="polite">
        {preview.isError ? (
          <ProblemAlert error={preview.error} title="The plan or the usage cannot be priced yet" />
        ) : preview.data ? (
          <>
            <table className="data-table" aria-label="Preview lines">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col" className="num">
                    Quantity
                  </th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.data.lines.map((line, i) => (
                  <tr key={i}>
                    <td>
                      {[LINE_LABELS[line.type], line.metric && metricLabel(line.metric)]
                        .filter(Boolean)
                        .join(" · ")}
                      {line.tiers.map((t) => (
                        <div key={t.from} className="muted">
                          {tierRange(t)}: {formatQuantity(t.quantity)} ×{" "}
                          {formatMoney(t.unit_price, preview.data.currency)}
                        </div>
                      ))}
                    </td>
                    <td className="num">{formatQuantity(line.quantity)}</td>
                    <td className="num">{formatMoney(line.amount, preview.data.currency)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    Total
                  </th>
                  <td className="num">
                    <strong data-testid="preview-total" data-amount={preview.data.total}>
                      {formatMoney(preview.data.total, preview.data.currency)}
                    </strong>
                  </td>
                </tr>
              </tfoot>
            </table>
          </>
        ) : (
          <p className="muted">Pricing…</p>
        )}
      </div>
    </section>
  );
}
