import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { api, unwrap } from "../../api/client";
import { useCan } from "../../app/permissions";
import { formatDateTime, formatQuantity, metricLabel } from "../../lib/format";
import { TENANT_QUERY } from "./QuotaGauges";

/** A banner per alert threshold crossed this month (from `GET /v1/tenant`), linking owners to the alerts page. */
export function AlertBanner() {
  const owner = useCan("own_tenant");
  const tenant = useQuery({
    queryKey: TENANT_QUERY,
    queryFn: () => unwrap(api.GET("/v1/tenant")),
    // Crossings are found within seconds; an overview left open should show them without a reload.
    refetchInterval: 30_000,
  });
  const alerts = tenant.data?.alerts ?? [];
  if (alerts.length === 0) return null;
  return (
    <div className="alert alert-warn" data-testid="alert-banner">
      <strong className="alert-title">Usage alert</strong>
      <ul className="alert-errors">
        {alerts.map((a) => (
          <li key={`${a.metric}-${a.threshold}`}>
            {metricLabel(a.metric)} reached {a.threshold} % of this month's limit ({formatQuantity(a.used)} of{" "}
            {formatQuantity(a.limit)}) on {formatDateTime(a.crossed_at)}.
          </li>
        ))}
      </ul>
      {owner ? (
        <p>
          <Link href="/alerts">Review alert settings and webhook deliveries</Link>
        </p>
      ) : (
        <p>An owner of your tenant manages the alerts.</p>
      )}
    </div>
  );
}
