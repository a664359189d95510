import { ApiError } from "../api/problem";

/** Shows a failed call as the API explained it: its detail, field errors, and the request id to quote. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const problem =
    error instanceof ApiError
      ? error.problem
      : { detail: error instanceof Error ? error.message : String(error), request_id: "", errors: undefined };
  return (
    <div className="alert alert-error" role="alert">
      {title && <strong className="alert-title">{title}</strong>}
      <p className="alert-detail">{problem.detail}</p>
      {problem.errors && problem.errors.length > 0 && (
        <ul className="alert-errors">
          {problem.errors.map((e) => (
            <li key={e.field + e.message}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      {problem.request_id && (
        <p className="alert-request-id">
          Request id: <code>{problem.request_id}</code>
        </p>
      )}
    </div>
  );
}
