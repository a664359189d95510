/** A labelled select of billing months, newest first as the API lists them. */
export function MonthField({
  id,
  periods,
  value,
  onChange,
}: {
  id: string;
  periods: string[];
  value: string;
  onChange: (period: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Month</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {periods.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </div>
  );
}
