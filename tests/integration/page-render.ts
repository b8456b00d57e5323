import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";

type PageModule = {
  default: ComponentType;
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
  ErrorBoundary?: ComponentType;
};

/**
 * The HTML a route's own component renders for a document request (a GET, or a POST without
 * JavaScript): loader and action run through React Router's static handler, as in Remix, which
 * honours `data(body, { status, headers })`. No root layout and no scripts: only what the page
 * itself shows, plus the loader's headers (the public check must send X-Robots-Tag).
 */
export async function renderPage(
  pattern: string,
  mod: PageModule,
  request: Request,
): Promise<{ status: number; html: string; headers: Headers }> {
  const { loader, action } = mod;
  const handler = createStaticHandler([
    {
      id: "page",
      path: pattern,
      loader: loader ? async ({ request, params }) => (await loader({ request, params, context: {} })) ?? null : undefined,
      action: action ? async ({ request, params }) => (await action({ request, params, context: {} })) ?? null : undefined,
      Component: mod.default,
      ErrorBoundary: mod.ErrorBoundary,
    },
  ]);
  const context = await handler.query(request);
  if (context instanceof Response) return { status: context.status, html: "", headers: context.headers };
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false }));
  return { status: context.statusCode, html, headers: context.loaderHeaders.page ?? new Headers() };
}
