import { useState } from "react";

/**
 * The webhook signing secret, the one time the API answers it (first save or rotation), with a
 * copy button. It lives in this component's state only: never stored, cached or logged.
 */
export function SecretPanel({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      // Only secure contexts (https, localhost) have the clipboard API.
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // Select the secret instead, so Ctrl+C copies it.
      const code = document.querySelector("[data-testid=webhook-secret]");
      if (code) window.getSelection()?.selectAllChildren(code);
    }
  }

  return (
    <div className="alert alert-info" role="status" aria-live="polite">
      <p>
        <strong>Webhook signing secret.</strong> Copy it into your receiver now: you will not see it again.
      </p>
      <div className="secret">
        <code data-testid="webhook-secret">{secret}</code>
        <button type="button" className="button button-small" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
