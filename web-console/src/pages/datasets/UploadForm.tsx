import { useRef, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ApiError } from "../../api/problem";
import { formatBytes } from "../../lib/format";
import { uploadDataset, UploadCancelled, type Dataset, type DatasetFormat, type Upload } from "./upload";

type Progress = { sent: number; total: number };

/** Uploads a CSV or an image zip with a real progress bar, a cancel button and the API's refusal. */
export function UploadForm({ onUploaded }: { onUploaded: (dataset: Dataset) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [format, setFormat] = useState<DatasetFormat>("csv");
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cancelled, setCancelled] = useState(false);
  const [uploaded, setUploaded] = useState<Dataset | null>(null);
  const upload = useRef<Upload | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setError(null);
    setCancelled(false);
    setUploaded(null);
    setProgress({ sent: 0, total: file.size });
    setBusy(true);
    const current = uploadDataset(file, name || file.name.replace(/\.[^.]+$/, ""), format, (sent, total) =>
      setProgress({ sent, total }),
    );
    upload.current = current;
    try {
      const dataset = await current.done;
      setUploaded(dataset);
      await queryClient.invalidateQueries({ queryKey: ["datasets"] });
      onUploaded(dataset);
    } catch (e) {
      if (e instanceof UploadCancelled) setCancelled(true);
      else setError(e);
    } finally {
      upload.current = null;
      setBusy(false);
    }
  }

  const percent = progress && progress.total > 0 ? Math.round((progress.sent / progress.total) * 100) : 0;
  const refusals = error instanceof ApiError ? (error.problem.errors ?? []) : [];

  return (
    <section className="section card" aria-labelledby="upload-dataset">
      <h2 id="upload-dataset">Upload a dataset</h2>
      <form onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <Field label="File" name="file" hint="A CSV with a header row, or a zip of class_name/*.png|jpg.">
            <input
              type="file"
              required
              accept={format === "csv" ? ".csv,text/csv" : ".zip,application/zip"}
              onChange={(e) => {
                const chosen = e.target.files?.[0] ?? null;
                setFile(chosen);
                if (chosen?.name.toLowerCase().endsWith(".zip")) setFormat("images");
                else if (chosen) setFormat("csv");
              }}
            />
          </Field>
          <Field label="Format" name="format">
            <select value={format} onChange={(e) => setFormat(e.target.value as DatasetFormat)}>
              <option value="csv">CSV</option>
              <option value="images">Image zip</option>
            </select>
          </Field>
          <Field label="Name" name="name" error={error} hint="The file's name when left empty.">
            <input maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={!file || busy}>
            {busy ? "Uploading…" : "Upload"}
          </button>
          {busy && (
            <button type="button" className="button" onClick={() => upload.current?.cancel()}>
              Cancel upload
            </button>
          )}
        </div>
      </form>
      {progress && (
        <div className="upload-progress" data-testid="upload-progress">
          <label htmlFor="upload-bar">
            {uploaded
              ? `Uploaded and validated ${formatBytes(progress.total)}`
              : cancelled
                ? "Upload cancelled; nothing was kept."
                : percent === 100 && !error
                  ? "Sent; the server is validating the file…"
                  : `Uploading ${formatBytes(progress.sent)} of ${formatBytes(progress.total)}`}
          </label>
          <progress id="upload-bar" max={100} value={percent} aria-valuetext={`${percent} %`}>
            {percent} %
          </progress>
          <span className="upload-percent" aria-hidden="true">
            {percent} %
          </span>
        </div>
      )}
      {error !== null && (
        <>
          <ProblemAlert error={error} title="The dataset was refused" />
          {refusals.some((r) => "line" in r || "column" in r || "entry" in r) && (
            <RefusalTable refusals={refusals as Refusal[]} />
          )}
        </>
      )}
    </section>
  );
}

type Refusal = { field: string; message: string; line?: number; column?: string; entry?: string };

/** Where in the file each problem is, as the API located it. */
function RefusalTable({ refusals }: { refusals: Refusal[] }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Problems in the file">
      <table className="data-table">
        <caption className="visually-hidden">Problems in the file</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column or entry</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {refusals.map((r, i) => (
            <tr key={i}>
              <td className="num">{r.line ?? "—"}</td>
              <td>{r.column ?? r.entry ?? "—"}</td>
              <td className="wrap">{r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
