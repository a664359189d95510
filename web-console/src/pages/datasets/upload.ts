import type { components } from "../../api/schema";
import { ApiError, networkProblem, toProblem } from "../../api/problem";
import { accessToken } from "../../session/session";

export type Dataset = components["schemas"]["Dataset"];
export type DatasetFormat = Dataset["format"];

/** An upload in flight: what it ends with, and a way to stop it. */
export type Upload = { done: Promise<Dataset>; cancel: () => void };

/** The user stopped the upload; nothing was kept on the server. */
export class UploadCancelled extends Error {
  constructor() {
    super("The upload was cancelled.");
    this.name = "UploadCancelled";
  }
}

/**
 * Streams a file to POST /v1/datasets. XMLHttpRequest rather than the API client: fetch cannot
 * report how much of a request body has been sent, and a progress bar is the point here.
 */
export function uploadDataset(
  file: File,
  name: string,
  format: DatasetFormat,
  onProgress: (sent: number, total: number) => void,
): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Dataset>((resolve, reject) => {
    xhr.open("POST", `/v1/datasets?${new URLSearchParams({ name, format })}`);
    const token = accessToken();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader("Content-Type", format === "csv" ? "text/csv" : "application/zip");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    // The last progress event may come before the final bytes are counted: the body is sent when this fires.
    xhr.upload.onload = () => onProgress(file.size, file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(xhr.response as Dataset);
        return;
      }
      const headers = new Headers();
      const requestId = xhr.getResponseHeader("X-Request-Id");
      if (requestId) headers.set("X-Request-Id", requestId);
      reject(
        new ApiError(
          toProblem(
            xhr.response,
            new Response(null, { status: xhr.status, statusText: xhr.statusText, headers }),
          ),
        ),
      );
    };
    xhr.onerror = () => reject(new ApiError(networkProblem(new Error("the upload was interrupted"))));
    xhr.onabort = () => reject(new UploadCancelled());
    xhr.send(file);
  });
  return { done, cancel: () => xhr.abort() };
}
