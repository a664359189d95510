import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { QueryView } from "../../components/States";
import { formatMoney } from "../../lib/format";
import { startOfMonthUtc, startOfNextMonthUtc } from "../../lib/usage";

/**
 * The month's cost so far from the live draft invoice, and a projection to month end that
 * extrapolates the usage lines at the current pace (fees and adjustments stay as they are).
 */
export function MonthCost() {
  const start = startOfMonthUtc();
  const period = start.toISOString().slice(0, 7);
  const invoice = useQuery({
    queryKey: ["invoice", period],
    queryFn: () => unwrap(api.GET("/v1/invoices/{period}", { params: { path: { period } } })),
  });
  return (
    <section className="card" aria-labelledby="cost">
      <h2 id="cost">Cost this month</h2>
      <QueryView query={invoice}>
        {(inv) => {
          const elapsed =
            (Date.now() - start.getTime()) / (startOfNextMonthUtc().getTime() - start.getTime());
          const usage = inv.lines.filter((l) => l.type === "usage").reduce((s, l) => s + Number(l.amount), 0);
          const projected = Number(inv.total) - usage + usage / Math.max(elapsed, 1 / 31);
          return (
            <>
              <p className="stat" data-testid="cost-so-far">
                {formatMoney(inv.total, inv.currency)}
              </p>
              <p className="muted">
                so far ({inv.status} invoice for {inv.period})
              </p>
              <p>
                Projected for the month at the current pace:{" "}
                <strong data-testid="cost-projection">{formatMoney(projected, inv.currency)}</strong>
              </p>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
