import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { USERS_QUERY } from "../team/users";
import type { AuditEvent } from "./audit";

/** Someone who can appear in the log: a member or an API key, with how to name them. */
export type Actor = { id: string; label: string };

/** The same cache entry as the API keys page. */
const KEYS_QUERY = ["keys"] as const;

/** The tenant's members and API keys, so the log names actors instead of showing ids. */
export function useActors(): Actor[] {
  const users = useQuery({ queryKey: USERS_QUERY, queryFn: () => unwrap(api.GET("/v1/users")) });
  const keys = useQuery({ queryKey: KEYS_QUERY, queryFn: () => unwrap(api.GET("/v1/keys")) });
  return [
    ...(users.data?.data ?? []).map((u) => ({ id: u.id, label: u.email })),
    ...(keys.data?.data ?? []).map((k) => ({ id: k.id, label: `API key “${k.name}”` })),
  ];
}

/** How an event's actor reads in the table: a known name, else its kind and the start of its id. */
export function actorName(event: AuditEvent, actors: Actor[]): string {
  if (!event.actor_id) return event.actor_type.replace("_", " ");
  const known = actors.find((a) => a.id === event.actor_id);
  if (known) return known.label;
  // A removed member or a deleted key: its id is all the log has.
  return `${event.actor_type.replace("_", " ")} ${event.actor_id.slice(0, 8)}…`;
}
