import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { Field } from "../Field";
import { ProblemAlert } from "../ProblemAlert";
import { RoleSelect } from "./RoleSelect";
import type { Role, User, UserCalls } from "./users";

/**
 * Adds a console user: email, a first password to hand over, and a role. The page gives the call,
 * the form's frame (class, accessible name, heading) and its words.
 */
export function UserForm({
  calls,
  defaultRole,
  className,
  label,
  labelledBy,
  heading,
  created,
  submitText,
  pendingText,
}: {
  calls: Pick<UserCalls, "queryKey" | "create">;
  defaultRole: Role;
  className: string;
  /** The form's accessible name, when it has no heading of its own. */
  label?: string;
  labelledBy?: string;
  heading?: ReactNode;
  /** What to say once a user was added; nothing when absent. */
  created?: (user: User) => ReactNode;
  submitText: string;
  pendingText: string;
}) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>(defaultRole);
  const create = useMutation({
    mutationFn: () => calls.create({ email, password, role }),
    onSuccess: () => {
      setEmail("");
      setPassword("");
      return queryClient.invalidateQueries({ queryKey: calls.queryKey });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <form className={className} onSubmit={submit} aria-label={label} aria-labelledby={labelledBy}>
      {heading}
      <ProblemAlert error={create.error} />
      {create.isSuccess && created?.(create.data)}
      <div className="inline-fields">
        <Field label="Email" name="email" error={create.error}>
          <input
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="First password" name="password" error={create.error} hint="10 characters or more">
          <input
            type="password"
            required
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <Field label="Role" name="role" error={create.error}>
          <RoleSelect value={role} onRole={setRole} />
        </Field>
      </div>
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        {create.isPending ? pendingText : submitText}
      </button>
    </form>
  );
}
