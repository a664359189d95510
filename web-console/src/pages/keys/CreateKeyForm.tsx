import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ApiError } from "../../api/problem";

type Scope = components["schemas"]["KeyScope"];
type CreatedKey = components["schemas"]["CreatedKey"];

const SCOPES: { scope: Scope; meaning: string }[] = [
  { scope: "read", meaning: "read datasets, jobs, models and usage" },
  { scope: "predict", meaning: "call deployed models" },
  { scope: "train", meaning: "upload datasets, train and deploy" },
  { scope: "manage", meaning: "manage API keys" },
];

/** Creates a key and shows its secret once, with a copy button. */
export function CreateKeyForm() {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["predict"]);
  const [expires, setExpires] = useState("");
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [copied, setCopied] = useState(false);

  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/keys", {
          body: { name, scopes, ...(expires ? { expires_at: new Date(expires).toISOString() } : {}) },
        }),
      ),
    onSuccess: (key) => {
      setCreated(key);
      setCopied(false);
      setName("");
      void queryClient.invalidateQueries({ queryKey: ["keys"] });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  function toggle(scope: Scope, on: boolean) {
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));
  }

  async function copy(secret: string) {
    try {
      // Only secure contexts (https, localhost) have the clipboard API.
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // Select the secret instead, so Ctrl+C copies it.
      const code = document.querySelector("[data-testid=new-key-secret]");
      if (code) window.getSelection()?.selectAllChildren(code);
    }
  }

  const scopeError = create.error instanceof ApiError ? create.error.fieldError("scopes") : undefined;

  return (
    <section className="section card" aria-labelledby="create-key">
      <h2 id="create-key">Create a key</h2>
      {created && (
        <div className="alert alert-info" role="status" aria-live="polite">
          <p>
            <strong>Key “{created.name}” created.</strong> Copy its secret now: you will not see it again.
          </p>
          <div className="secret">
            <code data-testid="new-key-secret">{created.key}</code>
            <button type="button" className="button button-small" onClick={() => void copy(created.key)}>
              {copied ? "Copied" : "Copy"}
            </button>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => setCreated(null)}
            >
              Done
            </button>
          </div>
        </div>
      )}
      <ProblemAlert error={create.error} />
      <form onSubmit={submit}>
        <div className="inline-fields">
          <Field label="Name" name="name" error={create.error}>
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field
            label="Expires (optional)"
            name="expires_at"
            error={create.error}
            hint="Never, when left empty."
          >
            <input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
          </Field>
        </div>
        <fieldset aria-describedby={scopeError ? "scopes-error" : undefined}>
          <legend>Scopes</legend>
          {SCOPES.map(({ scope, meaning }) => (
            <label key={scope} className="checkbox">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                checked={scopes.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
              />
              <span>
                <strong>{scope}</strong> <span className="muted">({meaning})</span>
              </span>
            </label>
          ))}
          {scopeError && (
            <p className="field-error" id="scopes-error">
              {scopeError}
            </p>
          )}
        </fieldset>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create key"}
        </button>
      </form>
    </section>
  );
}
