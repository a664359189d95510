import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { DataTable } from "../../components/DataTable";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime, formatMoney } from "../../lib/format";
import { InvoiceView } from "./InvoiceView";
import type { Invoice } from "./invoice";
import "./print.css";

/** The tenant's invoices (owners only): the live draft with its lines and tiers, and past ones. */
export default function BillingPage() {
  // The draft grows with usage: ask again every 30 s while the page is open.
  const invoices = useQuery({
    queryKey: ["invoices"],
    queryFn: () => unwrap(api.GET("/v1/invoices")),
    refetchInterval: 30_000,
  });
  const [selected, setSelected] = useState<string | null>(null);

  return (
    <>
      <h1>Billing</h1>
      <QueryView
        query={invoices}
        isEmpty={(d) => d.data.length === 0}
        empty={<Empty>No invoices yet: the first draft appears once the tenant is on a plan.</Empty>}
      >
        {(d) => {
          const shown = d.data.find((i) => i.period === selected) ?? d.data[0]!;
          return (
            <>
              <InvoiceView invoice={shown} />
              <section className="section no-print" aria-labelledby="invoices-list">
                <h2 id="invoices-list">All invoices</h2>
                <DataTable<Invoice>
                  caption="Invoices"
                  rows={d.data}
                  rowKey={(i) => i.period}
                  columns={[
                    { header: "Period", cell: (i) => i.period },
                    {
                      header: "Status",
                      cell: (i) => (
                        <span className={i.status === "final" ? "badge badge-ok" : "badge badge-warn"}>
                          {i.status}
                        </span>
                      ),
                    },
                    { header: "Finalized", cell: (i) => formatDateTime(i.finalized_at, "—") },
                    { header: "Total", numeric: true, cell: (i) => formatMoney(i.total, i.currency) },
                    {
                      header: "Actions",
                      cell: (i) =>
                        i.period === shown.period ? (
                          <span className="muted">shown above</span>
                        ) : (
                          <button
                            type="button"
                            className="button button-small"
                            onClick={() => setSelected(i.period)}
                          >
                            Show<span className="visually-hidden"> the invoice for {i.period}</span>
                          </button>
                        ),
                    },
                  ]}
                />
              </section>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
