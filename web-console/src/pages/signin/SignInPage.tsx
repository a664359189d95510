import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { signIn } from "../../session/session";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";

/** Email and password; the server's refusal (wrong password, throttling) is shown as written. */
export function SignInPage({ reason }: { reason?: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    // session_cookie: the refresh token goes into an HttpOnly cookie, never into this page's reach.
    try {
      await signIn(
        await unwrap(api.POST("/v1/auth/login", { body: { email, password, session_cookie: true } })),
      );
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to aiaas</h1>
        {reason && !error && (
          <p className="alert alert-info" role="status">
            {reason}
          </p>
        )}
        <ProblemAlert error={error} />
        <Field label="Email" name="email" error={error}>
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="Password" name="password" error={error}>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
