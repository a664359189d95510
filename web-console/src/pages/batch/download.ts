import { ApiError, networkProblem, toProblem } from "../../api/problem";
import { accessToken } from "../../session/session";

/**
 * Saves a batch prediction's CSV. A plain link cannot carry the Bearer token, so the file is
 * fetched with it and handed to the browser as a download.
 */
export async function downloadResult(id: string, filename: string): Promise<void> {
  const token = accessToken();
  let response: Response;
  try {
    response = await fetch(`/v1/batch-predictions/${encodeURIComponent(id)}/result`, {
      credentials: "same-origin",
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
  } catch (e) {
    throw new ApiError(networkProblem(e));
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    throw new ApiError(toProblem(body, response));
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the blob once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
