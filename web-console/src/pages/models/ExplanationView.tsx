import type { components } from "../../api/schema";
import "./explanation.css";

type Explanation = components["schemas"]["Explanation"];

/** Four decimals, or three significant digits for what would round to zero. */
function number(value: number | undefined): string {
  if (value === undefined) return "—";
  return value !== 0 && Math.abs(value) < 0.001 ? value.toExponential(2) : value.toFixed(4);
}

/** An attribution with its sign spelled out, for hover and screen readers. */
function signed(value: number): string {
  return `${value >= 0 ? "+" : "−"}${number(Math.abs(value))}`;
}

/**
 * One prediction's explanation (loaded only when asked for): per-column attributions as diverging
 * bars, the largest first, with the output against the baseline and the completeness error; or,
 * for an image model, the saliency map beside the image that was sent.
 */
export default function ExplanationView({
  explanation,
  image,
}: {
  explanation: Explanation;
  /** The address of the image that was explained, for image models. */
  image?: string | null;
}) {
  const target = explanation.target;
  const subject =
    target === null || target === undefined ? "the predicted value" : `the probability of “${target}”`;
  if (explanation.saliency_png) {
    return (
      <section className="explanation" aria-labelledby="explanation-title" data-testid="explanation">
        <h3 id="explanation-title">Why this prediction</h3>
        <p>
          Brighter pixels of the saliency map moved the score of{" "}
          <strong data-testid="explained-target">{target ?? "the prediction"}</strong> more.
        </p>
        <div className="saliency">
          {image && <img src={image} alt="The image that was explained" />}
          <img
            data-testid="saliency"
            src={`data:image/png;base64,${explanation.saliency_png}`}
            alt={`Saliency map of the image for ${target ?? "the prediction"}`}
          />
        </div>
      </section>
    );
  }

  const attributions = Object.entries(explanation.attributions ?? {}).sort(
    (a, b) => Math.abs(b[1]) - Math.abs(a[1]),
  );
  const largest = Math.max(...attributions.map(([, v]) => Math.abs(v)), Number.MIN_VALUE);
  return (
    <section className="explanation" aria-labelledby="explanation-title" data-testid="explanation">
      <h3 id="explanation-title">Why this prediction</h3>
      <p>
        Each column&apos;s share in moving {subject}
        {target !== null && target !== undefined && (
          <span className="visually-hidden" data-testid="explained-target">
            {" "}
            {target}
          </span>
        )}{" "}
        from the baseline (the training means) to this instance: bars to the right raised it, to the left
        lowered it.
      </p>
      <dl className="scores">
        <div>
          <dt>Output</dt>
          <dd data-testid="explained-output" data-value={explanation.output}>
            {number(explanation.output)}
          </dd>
        </div>
        <div>
          <dt>Baseline output</dt>
          <dd data-testid="baseline-output" data-value={explanation.baseline_output}>
            {number(explanation.baseline_output)}
          </dd>
        </div>
        <div>
          <dt>Completeness error</dt>
          <dd data-testid="completeness-error" data-value={explanation.completeness_error}>
            {number(explanation.completeness_error)}
          </dd>
        </div>
      </dl>
      <ul className="attributions" aria-label="Attribution per column, largest first">
        {attributions.map(([column, value]) => {
          const width = `${(Math.abs(value) / largest) * 50}%`;
          const text = `${column}: ${signed(value)}`;
          return (
            <li key={column} data-testid="attribution" data-feature={column} data-value={value} title={text}>
              <span className="attribution-name">{column}</span>
              <span className="attribution-track" aria-hidden="true">
                <span
                  className={value >= 0 ? "attribution-bar positive" : "attribution-bar negative"}
                  style={value >= 0 ? { left: "50%", width } : { right: "50%", width }}
                />
              </span>
              <span className="visually-hidden">
                {signed(value)} ({value >= 0 ? "raised" : "lowered"} it)
              </span>
            </li>
          );
        })}
      </ul>
      <p className="muted">
        The attributions add up to the output minus the baseline output, give or take the completeness error.
      </p>
    </section>
  );
}
