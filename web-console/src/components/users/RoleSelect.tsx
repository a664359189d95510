import type { SelectHTMLAttributes } from "react";
import { ROLES, type Role } from "./users";

/** A select of the three roles; {@code onRole} gets the chosen one typed. */
export function RoleSelect({
  onRole,
  ...props
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, "onChange"> & { onRole: (role: Role) => void }) {
  return (
    <select {...props} onChange={(e) => onRole(e.target.value as Role)}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}
