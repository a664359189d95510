import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { paths } from "../api/schema";

export type Permission =
  paths["/v1/whoami"]["get"]["responses"]["200"]["content"]["application/json"]["permissions"][number];

/** Who is signed in and what they may do, as the gateway says (the API enforces it anyway). */
export function useWhoami() {
  return useQuery({
    queryKey: ["whoami"],
    queryFn: () => unwrap(api.GET("/v1/whoami")),
    staleTime: Infinity,
  });
}

/** Whether the signed-in user holds {@code permission}; false until known. */
export function useCan(permission: Permission): boolean {
  const whoami = useWhoami();
  return whoami.data?.permissions.includes(permission) ?? false;
}
