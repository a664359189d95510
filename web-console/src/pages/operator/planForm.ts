import type { Plan, PlanBody } from "./operator";

/** The plan form's state: every field as typed, turned into the API's body only when sent. */
export const LIMIT_METRICS = [
  "api_calls",
  "predictions",
  "training_seconds",
  "storage_bytes",
  "concurrent_jobs",
  "deployed_models",
  "upload_bytes",
] as const;
export const SOFT_METRICS = ["api_calls", "predictions", "training_seconds", "storage_bytes"] as const;
export const PRICE_METRICS = ["api_calls", "predictions", "training_seconds", "storage_gb_months"] as const;

export type LimitMetric = (typeof LIMIT_METRICS)[number];
export type SoftMetric = (typeof SOFT_METRICS)[number];
export type PriceMetric = (typeof PRICE_METRICS)[number];

/** A tier row: `upTo` empty means no upper bound (the last tier). */
export type TierRow = { upTo: string; unitPrice: string };
export type PriceState = {
  mode: "none" | "flat" | "tiers";
  included: string;
  unitPrice: string;
  tiers: TierRow[];
};
export type LimitState = { unlimited: boolean; value: string };

export type PlanForm = {
  name: string;
  currency: string;
  baseFee: string;
  rateLimited: boolean;
  requestsPerSecond: string;
  burst: string;
  limits: Record<LimitMetric, LimitState>;
  softLimits: SoftMetric[];
  prices: Record<PriceMetric, PriceState>;
};

const noPrice = (): PriceState => ({ mode: "none", included: "", unitPrice: "", tiers: [] });

export function emptyPlanForm(): PlanForm {
  return {
    name: "",
    currency: "USD",
    baseFee: "0.00",
    rateLimited: false,
    requestsPerSecond: "",
    burst: "",
    limits: Object.fromEntries(
      LIMIT_METRICS.map((m) => [m, { unlimited: true, value: "" }]),
    ) as PlanForm["limits"],
    softLimits: [],
    prices: Object.fromEntries(PRICE_METRICS.map((m) => [m, noPrice()])) as PlanForm["prices"],
  };
}

/** A stored plan as the form shows it for editing. */
export function planToForm(plan: Plan): PlanForm {
  const form = emptyPlanForm();
  form.name = plan.name;
  form.currency = plan.currency;
  form.baseFee = plan.base_fee;
  if (plan.rate_limit) {
    form.rateLimited = true;
    form.requestsPerSecond = String(plan.rate_limit.requests_per_second);
    form.burst = plan.rate_limit.burst === undefined ? "" : String(plan.rate_limit.burst);
  }
  for (const m of LIMIT_METRICS) {
    const limit = plan.limits[m];
    form.limits[m] =
      limit === null || limit === undefined
        ? { unlimited: true, value: "" }
        : { unlimited: false, value: String(limit) };
  }
  form.softLimits = plan.soft_limits.filter((m): m is SoftMetric =>
    (SOFT_METRICS as readonly string[]).includes(m),
  );
  for (const m of PRICE_METRICS) {
    const price = plan.prices[m];
    if (!price) continue;
    form.prices[m] = {
      mode: price.tiers ? "tiers" : "flat",
      included: price.included === undefined ? "" : String(price.included),
      unitPrice: price.unit_price ?? "",
      tiers: (price.tiers ?? []).map((t) => ({
        upTo: t.up_to === null ? "" : String(t.up_to),
        unitPrice: t.unit_price,
      })),
    };
  }
  return form;
}

/**
 * A whole number as typed. Anything else is sent as typed, so that the API, not the form, says
 * what is wrong with it and under which field.
 */
function integer(value: string): number {
  const trimmed = value.trim();
  return (/^\d+$/.test(trimmed) ? Number(trimmed) : trimmed) as number;
}

/** The body of `createPlan` (and of a full `updatePlan`) for the form as it stands. */
export function formToBody(form: PlanForm): PlanBody {
  const prices: NonNullable<PlanBody["prices"]> = {};
  for (const m of PRICE_METRICS) {
    const p = form.prices[m];
    if (p.mode === "none") continue;
    const included = p.included.trim() === "" ? {} : { included: integer(p.included) };
    prices[m] =
      p.mode === "flat"
        ? { ...included, unit_price: p.unitPrice.trim() }
        : {
            ...included,
            tiers: p.tiers.map((t) => ({
              up_to: t.upTo.trim() === "" ? null : integer(t.upTo),
              unit_price: t.unitPrice.trim(),
            })),
          };
  }
  return {
    name: form.name.trim(),
    currency: form.currency.trim(),
    base_fee: form.baseFee.trim(),
    rate_limit: form.rateLimited
      ? {
          requests_per_second: integer(form.requestsPerSecond),
          ...(form.burst.trim() === "" ? {} : { burst: integer(form.burst) }),
        }
      : null,
    limits: Object.fromEntries(
      LIMIT_METRICS.map((m) => [m, form.limits[m].unlimited ? null : integer(form.limits[m].value)]),
    ),
    soft_limits: form.softLimits,
    prices,
  };
}
