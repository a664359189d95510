import type { components } from "../../api/schema";

/** A console user as the API shows it, to the tenant's owner and to the operator alike. */
export type User = components["schemas"]["User"];
export type Role = User["role"];
export type UserCreate = components["schemas"]["UserCreate"];

export const ROLES: Role[] = ["owner", "developer", "viewer"];

/**
 * The calls behind a list of console users. The owner's Team page and the operator's view of a
 * tenant do the same things through different API paths, so the shared components take the calls.
 */
export interface UserCalls {
  /** The list's query key; every change invalidates it. */
  queryKey: readonly unknown[];
  list: () => Promise<{ data: User[] }>;
  create: (body: UserCreate) => Promise<User>;
  changeRole: (user: User, role: Role) => Promise<unknown>;
  remove: (user: User) => Promise<unknown>;
}
