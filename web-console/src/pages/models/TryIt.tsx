import { lazy, Suspense, useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Loading, QueryView } from "../../components/States";

// The chart of an explanation loads only when one is asked for.
const ExplanationView = lazy(() => import("./ExplanationView"));

type Input = { name: string; datatype: string };
// The contract says "an object" per instance; the generator reads that as an object with no keys.
type PredictRequest = components["schemas"]["PredictRequest"];
type ExplainRequest = components["schemas"]["ExplainRequest"];
type Prediction = { label?: string; probabilities?: Record<string, number>; value?: number };

/** Quotes a string for a POSIX shell's single quotes. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The curl command that asks the API what the form just asked, for a program to copy. */
export function curlCommand(model: string, instance: Record<string, unknown>, imageFile?: string): string {
  const url = `${location.origin}/v1/models/${model}/predict`;
  const head = `curl -X POST ${shellQuote(url)} \\\n  -H "Authorization: Bearer $AIAAS_API_KEY" \\\n  -H "Content-Type: application/json" \\\n`;
  if (imageFile !== undefined) {
    // The image's base64 is long: the command encodes the file itself.
    return `${head}  -d "{\\"instances\\": [{\\"b64\\": \\"$(base64 -w0 ${shellQuote(imageFile)})\\"}]}"`;
  }
  return `${head}  -d ${shellQuote(JSON.stringify({ instances: [instance] }))}`;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("the file could not be read"));
    reader.readAsDataURL(file);
  });
}

/**
 * A form built from the deployed model's inputs (its Open Inference Protocol metadata): one field
 * per column, or an image picker for image models. It calls predict and shows the answer, and on
 * request the explanation of that prediction.
 */
export function TryIt({ model }: { model: string }) {
  const metadata = useQuery({
    queryKey: ["models", model, "inputs"],
    queryFn: () => unwrap(api.GET("/v2/models/{name}", { params: { path: { name: model } } })),
  });
  return (
    <section className="section card" aria-labelledby="try-it">
      <h2 id="try-it">Try it</h2>
      <QueryView query={metadata}>
        {(m) => <TryItForm model={model} inputs={m.inputs as Input[]} />}
      </QueryView>
    </section>
  );
}

function TryItForm({ model, inputs }: { model: string; inputs: Input[] }) {
  const image = inputs.length === 1 && inputs[0]?.name === "image" && inputs[0]?.datatype === "BYTES";
  const [values, setValues] = useState<Record<string, string>>({});
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const instance = (): Record<string, unknown> =>
    Object.fromEntries(
      inputs.map((i) => {
        const raw = (values[i.name] ?? "").trim();
        // An empty field is a missing value, which the model imputes as it did in training.
        if (raw === "") return [i.name, null];
        return [i.name, i.datatype === "BYTES" || !Number.isFinite(Number(raw)) ? raw : Number(raw)];
      }),
    );

  const predict = useMutation({
    mutationFn: async () => {
      const body =
        image && file ? { instances: [{ b64: await readBase64(file) }] } : { instances: [instance()] };
      const answer = await unwrap(
        api.POST("/v1/models/{name}/predict", {
          params: { path: { name: model } },
          body: body as unknown as PredictRequest,
        }),
      );
      // Explain asks about exactly the instance that was predicted, even if the form changed since.
      return { answer, body };
    },
  });
  const explain = useMutation({
    mutationFn: (body: { instances: unknown[] }) =>
      unwrap(
        api.POST("/v1/models/{name}/explain", {
          params: { path: { name: model } },
          body: body as unknown as ExplainRequest,
        }),
      ),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setCopied(false);
    explain.reset();
    predict.mutate();
  }

  const command = image ? curlCommand(model, {}, file?.name ?? "image.png") : curlCommand(model, instance());
  const answer = predict.data?.answer.predictions[0] as Prediction | undefined;
  const explanation = explain.data?.explanations[0];

  return (
    <>
      <form onSubmit={submit}>
        {image ? (
          <div className="form-grid">
            <Field
              label="Image"
              name="instances[0].b64"
              error={predict.error}
              hint="A PNG or JPEG; resized as in training."
            >
              <input
                type="file"
                accept="image/png,image/jpeg"
                required
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </Field>
            {preview && <img className="try-preview" src={preview} alt="The chosen image" />}
          </div>
        ) : (
          <div className="form-grid">
            {inputs.map((i) => (
              <Field
                key={i.name}
                label={i.name}
                name={`instances[0].${i.name}`}
                error={predict.error}
                hint={i.datatype === "BYTES" ? "Text (a category)" : "Number"}
              >
                <input
                  type={i.datatype === "BYTES" ? "text" : "number"}
                  step="any"
                  data-input={i.name}
                  value={values[i.name] ?? ""}
                  onChange={(e) => setValues((v) => ({ ...v, [i.name]: e.target.value }))}
                />
              </Field>
            ))}
          </div>
        )}
        <button type="submit" className="button button-primary" disabled={predict.isPending}>
          {predict.isPending ? "Predicting…" : "Predict"}
        </button>
      </form>
      <ProblemAlert error={predict.error} />
      {answer && (
        <div className="try-answer" role="status" aria-live="polite">
          {answer.label !== undefined ? (
            <>
              <p>
                Predicted label: <strong data-testid="predicted-label">{answer.label}</strong>{" "}
                <span className="muted">(version {predict.data?.answer.version})</span>
              </p>
              <h3>Probability per class</h3>
              <dl className="bars">
                {Object.entries(answer.probabilities ?? {})
                  .sort((a, b) => b[1] - a[1])
                  .map(([label, p]) => (
                    <div key={label} className="bar-row">
                      <dt>{label}</dt>
                      <dd>
                        <span className="bar" style={{ width: `${p * 100}%` }} aria-hidden="true" />
                        <span className="bar-value" data-testid={`probability-${label}`} data-value={p}>
                          {(p * 100).toFixed(1)} %
                        </span>
                      </dd>
                    </div>
                  ))}
              </dl>
            </>
          ) : (
            <p>
              Predicted value: <strong data-testid="predicted-value">{answer.value}</strong>{" "}
              <span className="muted">(version {predict.data?.answer.version})</span>
            </p>
          )}
        </div>
      )}
      {answer && predict.data && (
        <button
          type="button"
          className="button"
          disabled={explain.isPending}
          onClick={() => explain.mutate(predict.data.body)}
        >
          {explain.isPending ? "Explaining…" : "Explain this prediction"}
        </button>
      )}
      <ProblemAlert error={explain.error} />
      {explanation && (
        <Suspense fallback={<Loading />}>
          <ExplanationView explanation={explanation} image={image ? preview : null} />
        </Suspense>
      )}
      <h3>The same call with curl</h3>
      <pre className="curl">
        <code>{command}</code>
      </pre>
      <button
        type="button"
        className="button button-small"
        onClick={() => void navigator.clipboard.writeText(command).then(() => setCopied(true))}
      >
        {copied ? "Copied" : "Copy command"}
      </button>
    </>
  );
}
