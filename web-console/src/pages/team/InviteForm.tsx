import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ROLES, USERS_QUERY, type Role } from "./users";

/** Invites a member: email, a first password to hand over, and a role. */
export function InviteForm() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("developer");
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST("/v1/users", { body: { email, password, role } })),
    onSuccess: () => {
      setEmail("");
      setPassword("");
      return queryClient.invalidateQueries({ queryKey: USERS_QUERY });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    invite.mutate();
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a member</h2>
      <ProblemAlert error={invite.error} />
      {invite.isSuccess && (
        <p className="alert alert-info" role="status">
          {invite.data.email} can now sign in with the password you chose.
        </p>
      )}
      <div className="inline-fields">
        <Field label="Email" name="email" error={invite.error}>
          <input
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="First password" name="password" error={invite.error} hint="10 characters or more">
          <input
            type="password"
            required
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <Field label="Role" name="role" error={invite.error}>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <button type="submit" className="button button-primary" disabled={invite.isPending}>
        {invite.isPending ? "Inviting…" : "Invite"}
      </button>
    </form>
  );
}
