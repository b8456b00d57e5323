/**
 * Renders one route module to HTML the way the server does for a document request, and also
 * returns the loader's headers (the public check must send X-Robots-Tag): the loader runs
 * through React Router's static handler, which honours `data(body, {status, headers})`, then
 * the component renders with that data. No root layout, no scripts: what the route itself
 * puts on the page.
 */
import type { ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import type { LoaderFunction } from "@remix-run/node";

type RouteModule = { loader: LoaderFunction; default: ComponentType };

export async function renderRoute(module: RouteModule, pattern: string, request: Request) {
  const routes = [
    {
      id: "route",
      path: pattern,
      loader: ({ request, params }: { request: Request; params: Record<string, string | undefined> }) => module.loader({ request, params, context: {} }),
      Component: module.default,
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(request);
  if (context instanceof Response) return { status: context.status, headers: context.headers, html: "" };
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToStaticMarkup(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  return { status: context.statusCode, headers: context.loaderHeaders.route ?? new Headers(), html };
}
