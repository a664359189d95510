import { api, unwrap } from "../../api/client";
import type { UserCalls } from "../../components/users/users";

export const USERS_QUERY = ["users"] as const;

/** The owner's calls on the tenant's own members (`/v1/users`). */
export const TEAM_CALLS: UserCalls = {
  queryKey: USERS_QUERY,
  list: () => unwrap(api.GET("/v1/users")),
  create: (body) => unwrap(api.POST("/v1/users", { body })),
  changeRole: (user, role) =>
    unwrap(api.PATCH("/v1/users/{id}", { params: { path: { id: user.id } }, body: { role } })),
  remove: (user) => unwrap(api.DELETE("/v1/users/{id}", { params: { path: { id: user.id } } })),
};
