import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { ApiError, networkProblem, toProblem } from "./problem";
import { accessToken, sessionExpired } from "../session/session";

/**
 * The console's one API client. Its types are generated from the gateway's openapi.yaml at build
 * time, so a contract change that breaks a page fails the type check.
 */
export const api = createClient<paths>({ baseUrl: location.origin, credentials: "same-origin" });

const bearer: Middleware = {
  onRequest({ request }) {
    const token = accessToken();
    if (token && !request.headers.has("Authorization")) {
      request.headers.set("Authorization", `Bearer ${token}`);
    }
    return request;
  },
  onResponse({ request, response }) {
    // A 401 on a call made with our token means the session ended elsewhere (logout, revocation).
    if (
      response.status === 401 &&
      request.headers.get("Authorization") &&
      !request.url.includes("/v1/auth/")
    ) {
      sessionExpired();
    }
    return response;
  },
};
api.use(bearer);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a successful call; otherwise throws an {@link ApiError} with the server's problem. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (e) {
    throw new ApiError(networkProblem(e));
  }
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(toProblem(result.error, result.response));
  }
  return result.data as T;
}
