import { useEffect, useRef } from "react";
import { isRouteErrorResponse, Link, useLocation, useRevalidator, useRouteError } from "@remix-run/react";

const MESSAGES: Record<number, { title: string; body: string }> = {
  400: { title: "That request was not valid", body: "Check the address or the form and try again." },
  403: { title: "You do not have access to this page", body: "Your role does not include this page. If you need it, ask an administrator." },
  404: { title: "Page not found", body: "The page or record you asked for does not exist, or you cannot see it." },
  405: { title: "Not allowed", body: "That action is not available here." },
  429: { title: "Too many attempts", body: "Wait a few minutes and try again." },
};

/** The one error boundary: the root uses it, and routes that want a friendlier message per status. */
export function AppErrorBoundary({ messages = {} }: { messages?: Record<number, { title: string; body: string }> }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 503) {
    return <BeingPrepared message={typeof error.data === "string" ? error.data : "The figures are being prepared. Try again in a minute."} />;
  }
  if (isRouteErrorResponse(error)) {
    const known = messages[error.status] ?? MESSAGES[error.status];
    return (
      <section className="error-page" aria-labelledby="error-title">
        <h1 id="error-title">{known?.title ?? `Error ${error.status}`}</h1>
        <p>{known?.body ?? (typeof error.data === "string" ? error.data : error.statusText)}</p>
        <p className="muted">Status {error.status}</p>
        <p>
          <Link to="/">Go to your home page</Link>
        </p>
      </section>
    );
  }
  console.error(error);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong</h1>
      <p>The error has been logged. Try again, and if it keeps happening tell an administrator.</p>
      <p>
        <Link to="/">Go to your home page</Link>
      </p>
    </section>
  );
}

/** How often the "being prepared" page asks again (the response's Retry-After says the same). */
const CHECK_AGAIN_MS = 10_000;

/**
 * Reach figures while their rollup is rebuilt (app/models/reach-rebuild.server.ts): the loader's text
 * says how far along it is, and the page asks again by itself until the figures are there. Asked
 * again by revalidating rather than a meta refresh, which reloads the page under a reader (axe:
 * meta-refresh); without JavaScript the link does it.
 */
function BeingPrepared({ message }: { message: string }) {
  const location = useLocation();
  const { revalidate } = useRevalidator();
  const latest = useRef(revalidate);
  latest.current = revalidate;
  useEffect(() => {
    const timer = setInterval(() => latest.current(), CHECK_AGAIN_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">Reach figures are being prepared</h1>
      <p role="status">{message}</p>
      <p className="muted">This page checks again every {CHECK_AGAIN_MS / 1000} seconds. Everything else in the app works as usual meanwhile.</p>
      <p>
        <a href={`${location.pathname}${location.search}`}>Check again now</a> · <Link to="/">Go to your home page</Link>
      </p>
    </section>
  );
}
