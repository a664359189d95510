import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { DataTable } from "../../components/DataTable";
import { StateBadge } from "../../components/StateBadge";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime, metricLabel } from "../../lib/format";
import { DELIVERIES_QUERY, type Delivery } from "./alerts";

/** The webhook delivery log, newest first: state, attempts, the receiver's last answer, when. */
export function Deliveries() {
  const deliveries = useQuery({
    queryKey: DELIVERIES_QUERY,
    queryFn: () => unwrap(api.GET("/v1/alerts/deliveries")),
    // Crossings are found within seconds of the usage; keep the log moving while the page is open.
    refetchInterval: 5000,
  });
  return (
    <section className="section" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Webhook deliveries</h2>
      <QueryView
        query={deliveries}
        isEmpty={(d) => d.data.length === 0}
        empty={<Empty>No deliveries yet. One is sent each time usage crosses a threshold.</Empty>}
      >
        {(d) => (
          <DataTable<Delivery>
            caption="Webhook deliveries"
            rows={d.data}
            rowKey={(x) => x.id}
            columns={[
              { header: "Created", cell: (x) => formatDateTime(x.created_at) },
              {
                header: "Crossing",
                cell: (x) => `${metricLabel(x.metric)} at ${x.threshold} % (${x.period})`,
              },
              { header: "State", cell: (x) => <StateBadge state={x.state} /> },
              { header: "Attempts", cell: (x) => x.attempts, numeric: true },
              {
                header: "Last answer",
                cell: (x) => x.last_error ?? (x.last_status !== null ? `HTTP ${x.last_status}` : "—"),
              },
              {
                header: "Delivered or next try",
                cell: (x) =>
                  x.delivered_at
                    ? formatDateTime(x.delivered_at)
                    : x.next_attempt_at
                      ? `next ${formatDateTime(x.next_attempt_at)}`
                      : "—",
              },
            ]}
          />
        )}
      </QueryView>
    </section>
  );
}
