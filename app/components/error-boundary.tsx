import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

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
