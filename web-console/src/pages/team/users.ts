import type { components } from "../../api/schema";

/** A member of the tenant as the API shows it. */
export type User = components["schemas"]["User"];
export type Role = User["role"];

export const USERS_QUERY = ["users"] as const;
export const ROLES: Role[] = ["owner", "developer", "viewer"];
