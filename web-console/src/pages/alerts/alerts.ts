import type { components } from "../../api/schema";

/** The alert settings as the API shows them (the secret only in the answer that created it). */
export type AlertSettings = components["schemas"]["AlertSettings"];
export type Delivery = components["schemas"]["AlertDelivery"];

export const ALERTS_QUERY = ["alerts"] as const;
export const DELIVERIES_QUERY = ["alerts", "deliveries"] as const;
/** The same cache entry as the overview's quota gauges, for the plan's limits. */
export const TENANT_QUERY = ["tenant"] as const;

/** The period quota metrics the API accepts a threshold for. */
export const ALERT_METRICS = ["api_calls", "predictions", "training_seconds"] as const;
