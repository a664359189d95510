import { useMemo } from "react";
import { formatDateTime, formatMoney, formatQuantity, metricLabel } from "../../lib/format";
import { invoiceCsv, LINE_LABELS, tierRange, type Invoice, type InvoiceLine } from "./invoice";

/** One invoice: its lines with tiers, proration and credits, a print button and a CSV download. */
export function InvoiceView({ invoice }: { invoice: Invoice }) {
  const csvUrl = useMemo(
    () => URL.createObjectURL(new Blob([invoiceCsv(invoice)], { type: "text/csv" })),
    [invoice],
  );
  const money = (amount: string) => formatMoney(amount, invoice.currency);

  return (
    <section className="card invoice" aria-labelledby="invoice-title">
      <div className="page-header">
        <h2 id="invoice-title">
          Invoice {invoice.period}{" "}
          <span className={invoice.status === "final" ? "badge badge-ok" : "badge badge-warn"}>
            {invoice.status}
          </span>
        </h2>
        <div className="no-print">
          <button type="button" className="button" onClick={() => window.print()}>
            Print
          </button>{" "}
          <a className="button" href={csvUrl} download={`invoice-${invoice.period}.csv`}>
            Download CSV
          </a>
        </div>
      </div>
      <p className="muted">
        {formatDateTime(invoice.period_start)} to {formatDateTime(invoice.period_end)}
        {invoice.status === "draft"
          ? " · a live draft: it grows with usage until the period is closed"
          : ` · final since ${formatDateTime(invoice.finalized_at)}`}
      </p>
      <div
        className="table-wrap"
        tabIndex={0}
        role="region"
        aria-label={`Lines of the invoice for ${invoice.period}`}
      >
        <table className="data-table">
          <caption className="visually-hidden">Lines of the invoice for {invoice.period}</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col" className="num">
                Quantity
              </th>
              <th scope="col" className="num">
                Unit price
              </th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {invoice.lines.map((line, i) => (
              <LineRows key={i} line={line} money={money} />
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Total
              </th>
              <td className="num">
                <strong data-testid="invoice-total" data-amount={invoice.total}>
                  {money(invoice.total)}
                </strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

/** A line, then one indented row per price tier it fell into. */
function LineRows({ line, money }: { line: InvoiceLine; money: (amount: string) => string }) {
  const name = [
    LINE_LABELS[line.type],
    line.metric && metricLabel(line.metric),
    line.plan && `plan ${line.plan}`,
  ]
    .filter(Boolean)
    .join(" · ");
  const detail =
    line.proration && line.proration.period_seconds
      ? `prorated: ${((100 * (line.proration.seconds ?? 0)) / line.proration.period_seconds).toFixed(1)} % of the period`
      : (line.reason ?? line.description);
  return (
    <>
      <tr>
        <td>
          {name}
          {detail && <div className="muted">{detail}</div>}
        </td>
        <td className="num">{formatQuantity(line.quantity)}</td>
        <td className="num">
          {line.unit_price ? money(line.unit_price) : line.tiers.length ? "tiered" : "—"}
        </td>
        <td className="num">{money(line.amount)}</td>
      </tr>
      {line.tiers.map((t) => (
        <tr key={t.from} className="invoice-tier">
          <td>{tierRange(t)}</td>
          <td className="num">{formatQuantity(t.quantity)}</td>
          <td className="num">{money(t.unit_price)}</td>
          <td className="num">{money(t.amount)}</td>
        </tr>
      ))}
    </>
  );
}
