/**
 * The production HTTP server (app/http/app.server.ts) on an ephemeral port, serving a small Remix build
 * of resource routes through the real Remix runtime, and a folder of static files.
 */
import fs from "node:fs";
import type http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { createApp, createHttpServer } from "~/http/app.server";
import type { BodyLimits } from "~/http/body-limit.server";

export type TestServer = {
  url: string;
  port: number;
  /** How many actions read their whole body and finished. */
  actionsCompleted: () => number;
  close: () => Promise<void>;
};

const contextOf = (context: unknown) => (typeof context === "object" && context !== null ? context : {});

export async function startTestServer(options: { limits: BodyLimits; publicBaseUrl?: string }): Promise<TestServer> {
  let completed = 0;
  const route = (id: string, routePath: string, module: Record<string, unknown>) => ({
    [id]: { id, parentId: "root", path: routePath, module: { default: undefined, ...module } },
  });
  const build: ServerBuild = {
    mode: "production",
    // No pages in this build: a document request answers with the status Remix chose (404 for an unknown path).
    entry: { module: { default: async (_request: Request, status: number) => new Response(`status ${status}`, { status }) } },
    routes: {
      root: { id: "root", path: "", module: { default: undefined } },
      ...route("routes/echo", "echo", {
        loader: async ({ context }: { context: unknown }) => Response.json(contextOf(context)),
        action: async ({ request }: { request: Request }) => {
          const text = await request.text();
          completed += 1;
          return new Response(`read ${text.length} characters`);
        },
      }),
      ...route("routes/own-headers", "own-headers", {
        loader: async () => new Response("ok", { headers: { "Cache-Control": "public, max-age=60", "Referrer-Policy": "no-referrer" } }),
      }),
      ...route("routes/plain", "plain", { loader: async () => new Response("ok") }),
    },
    assets: { entry: { imports: [], module: "/assets/entry.js" }, routes: {}, url: "/assets/manifest.js", version: "test" },
    publicPath: "/",
    assetsBuildDirectory: "",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: true },
    isSpaMode: false,
  };

  const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), "http-test-client-"));
  fs.mkdirSync(path.join(clientDir, "assets"));
  fs.writeFileSync(path.join(clientDir, "assets", "app-3f2a1b.js"), "console.log('app');\n");
  fs.writeFileSync(path.join(clientDir, "robots.txt"), "User-agent: *\n");

  const limits = options.limits;
  const app = createApp({ build, clientDir, limits, publicBaseUrl: options.publicBaseUrl ?? "http://localhost:3000", mode: "production" });
  const server: http.Server = createHttpServer(app, limits);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    actionsCompleted: () => completed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        fs.rmSync(clientDir, { recursive: true, force: true });
      }),
  };
}

/**
 * Sends `head` (request line and headers, then whatever part of a body) on a raw socket and resolves
 * with what the server answered within `waitMs`, without sending anything more.
 */
export function rawExchange(port: number, head: string, waitMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const finish = () => {
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(finish, waitMs);
    socket.on("data", (data) => {
      received += data.toString("latin1");
      // The whole answer is in once its body (Content-Length) has arrived.
      const [headers, body = ""] = received.split("\r\n\r\n", 2);
      const length = /content-length: (\d+)/i.exec(headers)?.[1];
      if (length !== undefined && !/^HTTP\/1\.1 100/.test(headers) && Buffer.byteLength(body, "latin1") >= Number(length)) {
        clearTimeout(timer);
        finish();
      }
    });
    socket.on("error", () => {
      clearTimeout(timer);
      finish();
    });
    socket.write(head);
  });
}
