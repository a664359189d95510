import { Suspense, useEffect, useRef } from "react";
import { Link, Redirect, Route, Switch, useLocation } from "wouter";
import { isOperatorPage, OPERATOR_HOME, PAGES } from "./pages";
import { useWhoami } from "./permissions";
import { signOut } from "../session/session";
import { Empty, Loading } from "../components/States";
import { ProblemAlert } from "../components/ProblemAlert";

/** The signed-in frame: header, navigation by permission, and the current page. */
export function Shell() {
  const whoami = useWhoami();
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const permissions = whoami.data?.permissions ?? [];
  const visible = PAGES.filter((p) => permissions.includes(p.permission));
  const current = PAGES.find((p) => p.path === location);

  useEffect(() => {
    document.title = current ? `${current.title} · aiaas console` : "aiaas console";
  }, [current]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">aiaas</span>
        <nav aria-label="Main" className="nav">
          <ul>
            {visible.map((p) => (
              <li key={p.path}>
                <Link href={p.path} aria-current={p.path === location ? "page" : undefined}>
                  {p.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="button button-quiet" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {whoami.isPending ? (
          <Loading />
        ) : whoami.isError ? (
          <ProblemAlert error={whoami.error} />
        ) : (
          <Suspense fallback={<Loading />}>
            <Switch>
              {visible.map((p) => (
                <Route key={p.path} path={p.path} component={p.component} />
              ))}
              {/* The operator has no tenant overview: their console starts at the tenants. */}
              {whoami.data.kind === "platform_admin" && (
                <Route path="/">
                  <Redirect to={OPERATOR_HOME} replace />
                </Route>
              )}
              {/* A page that exists but not for this role says so, rather than "not found". */}
              {/* Operator pages do not exist for tenants: they fall through to "not found". */}
              {PAGES.filter((p) => !visible.includes(p) && !isOperatorPage(p)).map((p) => (
                <Route key={p.path} path={p.path}>
                  <h1>Not allowed</h1>
                  <Empty>
                    Your role does not allow the {p.title} page. Ask an owner of your tenant if you need it.
                  </Empty>
                </Route>
              ))}
              <Route>
                <h1>Page not found</h1>
                <Empty>
                  There is no page at this address for you. <Link href="/">Go to the overview</Link>.
                </Empty>
              </Route>
            </Switch>
          </Suspense>
        )}
      </main>
    </div>
  );
}
