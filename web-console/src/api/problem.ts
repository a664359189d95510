import type { components } from "./schema";

/** An RFC 9457 problem as the API sends it. */
export type Problem = components["schemas"]["Problem"];

/** A failed API call, carrying the server's problem (or one made up when the answer had none). */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.name = "ApiError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  /** The message for one field (`hyperparameters.epochs`), as the API wrote it. */
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field)?.message;
  }
}

/** Turns any failure body into a problem; a proxy's HTML error page is no reason to show nothing. */
export function toProblem(body: unknown, response: Response): Problem {
  if (body && typeof body === "object" && "detail" in body && "status" in body) {
    return body as Problem;
  }
  return {
    type: "about:blank",
    title: response.statusText || "Request failed",
    status: response.status,
    detail: `The server answered ${response.status} ${response.statusText}`.trim(),
    instance: new URL(response.url || location.href).pathname,
    request_id: response.headers.get("X-Request-Id") ?? "",
  };
}

/** A failure to reach the server at all, shown like any other problem. */
export function networkProblem(error: unknown): Problem {
  return {
    type: "about:blank",
    title: "Network error",
    status: 0,
    detail: `The gateway could not be reached (${error instanceof Error ? error.message : String(error)}).`,
    instance: "",
    request_id: "",
  };
}
