import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { metricLabel } from "../../lib/format";
import type { Plan } from "./operator";
import {
  emptyPlanForm,
  formToBody,
  LIMIT_METRICS,
  planToForm,
  PRICE_METRICS,
  SOFT_METRICS,
  type PlanForm,
  type PriceMetric,
  type PriceState,
} from "./planForm";
import { PlanPreview } from "./PlanPreview";

const priceLabel = (m: PriceMetric) => (m === "storage_gb_months" ? "Storage (GB-months)" : metricLabel(m));

/** Creates a plan, or edits {@code plan}: every field of the API, with a live price preview beside it. */
export function PlanEditor({ plan, onDone }: { plan: Plan | null; onDone: (saved: Plan | null) => void }) {
  const [form, setForm] = useState<PlanForm>(() => (plan ? planToForm(plan) : emptyPlanForm()));
  const body = formToBody(form);
  const save = useMutation({
    mutationFn: () =>
      plan
        ? unwrap(api.PATCH("/v1/admin/plans/{id}", { params: { path: { id: plan.id } }, body }))
        : unwrap(api.POST("/v1/admin/plans", { body })),
    onSuccess: (saved) => onDone(saved),
  });
  const error = save.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  const setPrice = (m: PriceMetric, price: Partial<PriceState>) =>
    setForm({ ...form, prices: { ...form.prices, [m]: { ...form.prices[m], ...price } } });

  return (
    <div className="plan-editor">
      <form className="card section" onSubmit={submit} aria-labelledby="plan-form-title">
        <h2 id="plan-form-title">{plan ? `Edit plan ${plan.name}` : "New plan"}</h2>
        <ProblemAlert error={error} />
        <div className="inline-fields">
          <Field label="Name" name="name" error={error} hint="lower case, digits, - and _">
            <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </Field>
          <Field label="Currency" name="currency" error={error} hint="ISO 4217, e.g. USD">
            <input
              required
              size={4}
              value={form.currency}
              onChange={(e) => setForm({ ...form, currency: e.target.value.toUpperCase() })}
            />
          </Field>
          <Field label="Base fee per month" name="base_fee" error={error}>
            <input
              inputMode="decimal"
              value={form.baseFee}
              onChange={(e) => setForm({ ...form, baseFee: e.target.value })}
            />
          </Field>
        </div>

        <fieldset>
          <legend>Rate limit</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              name="rate_limit.unlimited"
              checked={!form.rateLimited}
              onChange={(e) => setForm({ ...form, rateLimited: !e.target.checked })}
            />
            Unlimited
          </label>
          {form.rateLimited && (
            <div className="inline-fields">
              <Field label="Requests per second" name="rate_limit.requests_per_second" error={error}>
                <input
                  inputMode="numeric"
                  value={form.requestsPerSecond}
                  onChange={(e) => setForm({ ...form, requestsPerSecond: e.target.value })}
                />
              </Field>
              <Field label="Burst" name="rate_limit.burst" error={error} hint="empty: same as the rate">
                <input
                  inputMode="numeric"
                  value={form.burst}
                  onChange={(e) => setForm({ ...form, burst: e.target.value })}
                />
              </Field>
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>Limits per month (or at a time)</legend>
          <div className="limit-grid">
            {LIMIT_METRICS.map((m) => {
              const limit = form.limits[m];
              const setLimit = (next: Partial<typeof limit>) =>
                setForm({ ...form, limits: { ...form.limits, [m]: { ...limit, ...next } } });
              return (
                <div key={m} className="limit-row">
                  <Field label={metricLabel(m)} name={`limits.${m}`} error={error}>
                    <input
                      inputMode="numeric"
                      disabled={limit.unlimited}
                      value={limit.unlimited ? "" : limit.value}
                      placeholder={limit.unlimited ? "unlimited" : undefined}
                      onChange={(e) => setLimit({ value: e.target.value })}
                    />
                  </Field>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      name={`limits.${m}.unlimited`}
                      checked={limit.unlimited}
                      onChange={(e) => setLimit({ unlimited: e.target.checked })}
                    />
                    Unlimited<span className="visually-hidden"> {metricLabel(m)}</span>
                  </label>
                  {(SOFT_METRICS as readonly string[]).includes(m) && (
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        name={`soft_limits.${m}`}
                        checked={form.softLimits.includes(m as (typeof SOFT_METRICS)[number])}
                        onChange={(e) =>
                          setForm({
                            ...form,
                            softLimits: e.target.checked
                              ? [...form.softLimits, m as (typeof SOFT_METRICS)[number]]
                              : form.softLimits.filter((s) => s !== m),
                          })
                        }
                      />
                      Soft (warn, do not refuse)<span className="visually-hidden"> for {metricLabel(m)}</span>
                    </label>
                  )}
                </div>
              );
            })}
          </div>
        </fieldset>

        {PRICE_METRICS.map((m) => {
          const price = form.prices[m];
          return (
            <fieldset key={m} data-testid={`price-${m}`}>
              <legend>Price of {priceLabel(m)}</legend>
              <div className="inline-fields">
                <Field label="Pricing" name={`prices.${m}`} error={error}>
                  <select
                    value={price.mode}
                    onChange={(e) => {
                      const mode = e.target.value as PriceState["mode"];
                      setPrice(m, {
                        mode,
                        tiers:
                          mode === "tiers" && price.tiers.length === 0
                            ? [{ upTo: "", unitPrice: "" }]
                            : price.tiers,
                      });
                    }}
                  >
                    <option value="none">not billed</option>
                    <option value="flat">flat unit price</option>
                    <option value="tiers">graduated tiers</option>
                  </select>
                </Field>
                {price.mode !== "none" && (
                  <Field
                    label="Included units"
                    name={`prices.${m}.included`}
                    error={error}
                    hint="free each month"
                  >
                    <input
                      inputMode="numeric"
                      value={price.included}
                      onChange={(e) => setPrice(m, { included: e.target.value })}
                    />
                  </Field>
                )}
                {price.mode === "flat" && (
                  <Field label="Unit price" name={`prices.${m}.unit_price`} error={error}>
                    <input
                      inputMode="decimal"
                      value={price.unitPrice}
                      onChange={(e) => setPrice(m, { unitPrice: e.target.value })}
                    />
                  </Field>
                )}
              </div>
              {price.mode === "tiers" && (
                <TierRows metric={m} price={price} error={error} onChange={setPrice} />
              )}
            </fieldset>
          );
        })}

        <div className="actions">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : plan ? "Save plan" : "Create plan"}
          </button>
          <button type="button" className="button" onClick={() => onDone(null)}>
            Cancel
          </button>
        </div>
      </form>
      <PlanPreview plan={body} />
    </div>
  );
}

/** The graduated tiers of one price: a row per tier, added and removed in place. */
function TierRows({
  metric,
  price,
  error,
  onChange,
}: {
  metric: PriceMetric;
  price: PriceState;
  error: unknown;
  onChange: (m: PriceMetric, price: Partial<PriceState>) => void;
}) {
  const setTier = (i: number, next: Partial<PriceState["tiers"][number]>) =>
    onChange(metric, { tiers: price.tiers.map((t, j) => (j === i ? { ...t, ...next } : t)) });
  return (
    <div className="tiers">
      {price.tiers.map((tier, i) => (
        <div className="inline-fields tier-row" key={i} data-testid="tier-row">
          <Field
            label={`Tier ${i + 1} up to`}
            name={`prices.${metric}.tiers[${i}].up_to`}
            error={error}
            hint="units in the month; empty: no limit (last tier)"
          >
            <input
              inputMode="numeric"
              value={tier.upTo}
              onChange={(e) => setTier(i, { upTo: e.target.value })}
            />
          </Field>
          <Field
            label={`Tier ${i + 1} unit price`}
            name={`prices.${metric}.tiers[${i}].unit_price`}
            error={error}
          >
            <input
              inputMode="decimal"
              value={tier.unitPrice}
              onChange={(e) => setTier(i, { unitPrice: e.target.value })}
            />
          </Field>
          <button
            type="button"
            className="button button-small button-danger"
            disabled={price.tiers.length === 1}
            onClick={() => onChange(metric, { tiers: price.tiers.filter((_, j) => j !== i) })}
          >
            Remove tier {i + 1}
            <span className="visually-hidden"> of {priceLabel(metric)}</span>
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-small"
        onClick={() => onChange(metric, { tiers: [...price.tiers, { upTo: "", unitPrice: "" }] })}
      >
        Add tier<span className="visually-hidden"> to {priceLabel(metric)}</span>
      </button>
    </div>
  );
}
