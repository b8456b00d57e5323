import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";

type PageModule = {
  default: ComponentType;
  loader: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
};

/**
 * The HTML a route's own component renders for a document request (a GET, or a POST without
 * JavaScript): loader and action run through React Router's static handler, as in Remix.
 * No root layout: only what the page itself shows.
 */
export async function renderPage(pattern: string, mod: PageModule, request: Request): Promise<{ status: number; html: string }> {
  const { loader, action } = mod;
  const handler = createStaticHandler([
    {
      id: "page",
      path: pattern,
      loader: async ({ request, params }) => (await loader({ request, params, context: {} })) ?? null,
      action: action ? async ({ request, params }) => (await action({ request, params, context: {} })) ?? null : undefined,
      Component: mod.default,
    },
  ]);
  const context = await handler.query(request);
  if (context instanceof Response) return { status: context.status, html: "" };
  const router = createStaticRouter(handler.dataRoutes, context);
  return { status: context.statusCode, html: renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false })) };
}
