import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Empty, QueryView } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { InvoiceView } from "../billing/InvoiceView";
import { PERIODS_QUERY, TENANTS_QUERY, totalsText, type BillingPeriod } from "./operator";
import { ExportForm } from "./ExportForm";
import { MonthField } from "./MonthField";
import "./operator.css";

const STATE_BADGE: Record<BillingPeriod["state"], string> = {
  open: "badge",
  ended: "badge badge-warn",
  closed: "badge badge-ok",
};

/** The operator's billing: months and their state, closing an ended one, exports, any tenant's invoice. */
export default function OperatorBillingPage() {
  const queryClient = useQueryClient();
  const periods = useQuery({
    queryKey: PERIODS_QUERY,
    queryFn: () => unwrap(api.GET("/v1/admin/billing/periods")),
  });
  const [shownPeriod, setShownPeriod] = useState<string | null>(null);

  const close = (period: BillingPeriod) =>
    unwrap(
      api.POST("/v1/admin/billing/periods/{period}/close", { params: { path: { period: period.period } } }),
    ).then(() =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: PERIODS_QUERY }),
        queryClient.invalidateQueries({ queryKey: ["admin", "invoice"] }),
        queryClient.invalidateQueries({ queryKey: TENANTS_QUERY }),
      ]),
    );

  const periodNames = periods.data?.data.map((p) => p.period) ?? [];
  return (
    <>
      <h1>Billing</h1>
      <section className="section" aria-labelledby="periods-list">
        <h2 id="periods-list">Months</h2>
        <QueryView
          query={periods}
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty>No billing months yet: they start with the first tenant.</Empty>}
        >
          {(d) => (
            <DataTable<BillingPeriod>
              caption="Billing months"
              rows={d.data}
              rowKey={(p) => p.period}
              columns={[
                { header: "Month", cell: (p) => p.period },
                { header: "State", cell: (p) => <span className={STATE_BADGE[p.state]}>{p.state}</span> },
                { header: "Invoices", numeric: true, cell: (p) => p.invoices },
                {
                  header: "Totals",
                  cell: (p) => (
                    <>
                      <span data-testid={`totals-${p.period}`}>{totalsText(p.totals)}</span>
                      <div className="muted">
                        {p.invoice_status === "final" ? "final invoices" : "live drafts"}
                      </div>
                    </>
                  ),
                },
                { header: "Closed", cell: (p) => formatDateTime(p.closed_at, "—") },
                {
                  header: "Actions",
                  cell: (p) =>
                    p.state === "ended" ? (
                      <ConfirmDialog
                        trigger={
                          <button type="button" className="button button-danger button-small">
                            Close<span className="visually-hidden"> {p.period}</span>
                          </button>
                        }
                        title={`Close ${p.period}?`}
                        description={
                          <>
                            Every tenant's invoice of {p.period} becomes final and never changes again; usage
                            of the month recorded later is billed next month as late usage.{" "}
                            <strong data-testid="close-totals">
                              {p.invoices} invoice{p.invoices === 1 ? "" : "s"}, totals {totalsText(p.totals)}
                              .
                            </strong>
                          </>
                        }
                        confirmLabel={`Close ${p.period}`}
                        onConfirm={() => close(p)}
                      />
                    ) : (
                      <span className="muted">{p.state === "open" ? "not ended yet" : "final"}</span>
                    ),
                },
              ]}
            />
          )}
        </QueryView>
      </section>
      {periodNames.length > 0 && (
        <>
          <ExportForm periods={periodNames} />
          <TenantInvoice
            periods={periodNames}
            period={shownPeriod ?? periodNames[0]!}
            onPeriod={setShownPeriod}
          />
        </>
      )}
    </>
  );
}

/** Any tenant's invoice of any month, with its adjustments, and a form to add one to a draft. */
function TenantInvoice({
  periods,
  period,
  onPeriod,
}: {
  periods: string[];
  period: string;
  onPeriod: (period: string) => void;
}) {
  const tenants = useQuery({
    queryKey: [...TENANTS_QUERY, "all"],
    queryFn: () => unwrap(api.GET("/v1/admin/tenants", { params: { query: { limit: 500 } } })),
  });
  const [tenantId, setTenantId] = useState("");
  const chosen = tenantId || tenants.data?.data[0]?.id || "";
  const invoice = useQuery({
    queryKey: ["admin", "invoice", chosen, period],
    queryFn: () =>
      unwrap(
        api.GET("/v1/admin/tenants/{id}/invoices/{period}", { params: { path: { id: chosen, period } } }),
      ),
    enabled: chosen !== "",
  });

  return (
    <section className="section" aria-labelledby="tenant-invoice-title">
      <h2 id="tenant-invoice-title">A tenant's invoice</h2>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor="invoice-tenant">Tenant</label>
          <select id="invoice-tenant" value={chosen} onChange={(e) => setTenantId(e.target.value)}>
            {tenants.data?.data.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <MonthField id="invoice-period" periods={periods} value={period} onChange={onPeriod} />
      </div>
      {chosen === "" ? (
        <Empty>No tenants yet.</Empty>
      ) : (
        <QueryView query={invoice}>
          {(inv) => (
            <>
              <InvoiceView invoice={inv} />
              {inv.status === "draft" && <AdjustmentForm tenantId={chosen} period={period} />}
            </>
          )}
        </QueryView>
      )}
    </section>
  );
}

/** Adds a credit (negative) or a charge, with its reason, to a draft invoice; the API audits it. */
function AdjustmentForm({ tenantId, period }: { tenantId: string; period: string }) {
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/admin/tenants/{id}/invoices/{period}/adjustments", {
          params: { path: { id: tenantId, period } },
          body: { amount: amount.trim(), reason },
        }),
      ),
    onSuccess: (invoice) => {
      setAmount("");
      setReason("");
      queryClient.setQueryData(["admin", "invoice", tenantId, period], invoice);
      return queryClient.invalidateQueries({ queryKey: PERIODS_QUERY });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  return (
    <form className="card section" onSubmit={submit} aria-labelledby="adjustment-title">
      <h3 id="adjustment-title">Add an adjustment</h3>
      <ProblemAlert error={add.error} />
      <div className="inline-fields">
        <Field label="Amount" name="amount" error={add.error} hint="negative for a credit, e.g. -10.00">
          <input required inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </Field>
        <Field
          label="Reason"
          name="reason"
          error={add.error}
          hint="shown on the invoice and in the audit log"
        >
          <input required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
      </div>
      <button type="submit" className="button button-primary" disabled={add.isPending}>
        {add.isPending ? "Adding…" : "Add adjustment"}
      </button>
    </form>
  );
}
