/**
 * The production HTTP server: what remix-serve did (compression, static files, request log), plus the
 * body limits, the security headers and the cross-origin refusal. scripts/serve.ts starts it;
 * tests/integration/http-*.test.ts run it on an ephemeral port.
 */
import http from "node:http";
import path from "node:path";
import compression from "compression";
import express from "express";
import morgan from "morgan";
import type { ServerBuild } from "@remix-run/node";
import { declaresTooMuch, refuseDeclaredOversize, type BodyLimits } from "./body-limit.server";
import { createRemixHandler } from "./remix-handler.server";
import { createNonce, refuseCrossOriginWrites, securityHeaders } from "./security-headers.server";

export type AppOptions = {
  build: ServerBuild;
  /** build/client: the browser assets. */
  clientDir: string;
  limits: BodyLimits;
  /** PUBLIC_BASE_URL: served over HTTPS when it is an https address (TLS ends at a proxy in front). */
  publicBaseUrl: string;
  mode?: string;
  log?: boolean;
};

export function createApp(options: AppOptions): express.Express {
  const https = options.publicBaseUrl.startsWith("https:");
  const app = express();
  app.disable("x-powered-by");

  // First, so that every answer, the server's own refusals included, carries the headers.
  app.use((req, res, next) => {
    const nonce = createNonce();
    res.locals.cspNonce = nonce;
    for (const [name, value] of Object.entries(securityHeaders({ nonce, https }))) res.setHeader(name, value);
    next();
  });
  app.use(refuseDeclaredOversize(options.limits));
  app.use(refuseCrossOriginWrites());
  app.use(compression());
  // Vite's hashed file names never change content: cache them for a year.
  app.use("/assets", express.static(path.join(options.clientDir, "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(options.clientDir, { maxAge: "1h" }));
  if (options.log) app.use(morgan("tiny"));
  app.all(
    "*",
    createRemixHandler({
      build: options.build,
      mode: options.mode,
      limits: options.limits,
      getLoadContext: (req, res) => ({
        cspNonce: typeof res.locals.cspNonce === "string" ? res.locals.cspNonce : "",
        remoteAddress: req.socket.remoteAddress ?? "",
      }),
    }),
  );
  return app;
}

/**
 * An http.Server for the app. A client that asks before sending a large body (`Expect: 100-continue`,
 * as curl does) is refused before it sends it.
 */
export function createHttpServer(app: express.Express, limits: BodyLimits): http.Server {
  const server = http.createServer(app);
  server.on("checkContinue", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!declaresTooMuch(req, limits)) res.writeContinue();
    app(req, res);
  });
  return server;
}
