/** A job's, deployment's or webhook delivery's state, coloured by whether it is fine, moving or failed. */
export function StateBadge({ state }: { state: string }) {
  const tone =
    state === "succeeded" || state === "ready" || state === "delivered"
      ? "badge-ok"
      : state === "failed"
        ? "badge-danger"
        : state === "cancelled"
          ? ""
          : "badge-warn";
  return <span className={`badge ${tone}`}>{state}</span>;
}
