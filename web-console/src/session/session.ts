/**
 * The browser session. The access token lives in this module's memory only; the refresh token is
 * an HttpOnly cookie the gateway sets on /v1/auth, which page scripts cannot read. A reload starts
 * with no access token and asks /v1/auth/refresh for one, so the cookie is what keeps a session.
 */
import { useSyncExternalStore } from "react";
import { api } from "../api/client";
import type { components } from "../api/schema";

/** What the console knows about the signed-in user, read from the access token's claims. */
export type Claims = {
  sub: string;
  tid?: string;
  role?: string | null;
  exp: number;
};

export type SessionState =
  | { status: "restoring" }
  | { status: "signed-out"; reason?: string }
  | { status: "signed-in"; token: string; claims: Claims };

type TokenBody = components["schemas"]["TokenPair"];

let state: SessionState = { status: "restoring" };
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | undefined;
const listeners = new Set<() => void>();

function set(next: SessionState) {
  state = next;
  listeners.forEach((l) => l());
}

export function accessToken(): string | null {
  return state.status === "signed-in" ? state.token : null;
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

function decodeClaims(token: string): Claims {
  const payload = token.split(".")[1] ?? "";
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(json) as Claims;
}

function adopt(body: TokenBody) {
  const claims = decodeClaims(body.access_token);
  set({ status: "signed-in", token: body.access_token, claims });
  clearTimeout(refreshTimer);
  // Refresh at 80 % of the lifetime (at least 5 s ahead) so calls never carry an expired token.
  const lead = Math.max(5, body.expires_in * 0.2);
  refreshTimer = setTimeout(() => void refresh(), Math.max(1, body.expires_in - lead) * 1000);
}

/** Signs in; the gateway answers with an access token and sets the refresh cookie. */
export async function signIn(response: TokenBody): Promise<void> {
  adopt(response);
}

/** Gets a new access token with the refresh cookie; false (and signed out) when there is none. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      // An empty body: the gateway reads and rotates the HttpOnly cookie.
      const { data } = await api.POST("/v1/auth/refresh", { body: {} });
      if (!data) {
        set({ status: "signed-out" });
        return false;
      }
      adopt(data);
      return true;
    } catch {
      set({ status: "signed-out", reason: "The gateway could not be reached." });
      return false;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

/** Ends the session on the server (which clears the cookie), then forgets the token. */
export async function signOut(): Promise<void> {
  clearTimeout(refreshTimer);
  try {
    await api.POST("/v1/auth/logout");
  } finally {
    set({ status: "signed-out" });
  }
}

/** Ends every session of the account on the server (this one too), then forgets the token. */
export async function signOutEverywhere(): Promise<void> {
  clearTimeout(refreshTimer);
  try {
    await api.POST("/v1/auth/logout-all");
  } finally {
    set({ status: "signed-out", reason: "You signed out on every device." });
  }
}

/** A call was refused with our token: try the cookie once, else back to sign-in with a reason. */
export function sessionExpired(): void {
  if (state.status !== "signed-in") return;
  void refresh().then((ok) => {
    if (!ok) set({ status: "signed-out", reason: "Your session ended. Please sign in again." });
  });
}
