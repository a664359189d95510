import { useEffect } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Router } from "wouter";
import { refresh, useSession } from "../session/session";
import { ApiError } from "../api/problem";
import { Shell } from "./Shell";
import { SignInPage } from "../pages/signin/SignInPage";
import { Loading } from "../components/States";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not fix itself by asking again, except a 401 once the session was refreshed
      // (a tab that slept past the token's expiry); a network blip might fix itself too.
      retry: (count, error) =>
        error instanceof ApiError && error.status === 401
          ? count < 1
          : !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
      staleTime: 10_000,
    },
  },
});

/** The console: restores the session from the refresh cookie, then shows sign-in or the app. */
export function App() {
  const session = useSession();

  useEffect(() => {
    void refresh();
  }, []);

  // Nothing one user saw may be shown to the next one who signs in on this tab.
  useEffect(() => {
    if (session.status === "signed-out") queryClient.clear();
  }, [session.status]);

  return (
    <QueryClientProvider client={queryClient}>
      <Router base="/console">
        {session.status === "restoring" ? (
          <Loading label="Restoring your session…" />
        ) : session.status === "signed-out" ? (
          <SignInPage reason={session.reason} />
        ) : (
          <Shell key={session.claims.sub} />
        )}
      </Router>
    </QueryClientProvider>
  );
}
