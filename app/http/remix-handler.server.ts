/**
 * Express → Remix, in the shape of @remix-run/express's handler, with two differences that need to sit
 * between the socket and the app (that package reads the body straight from the socket):
 *   - the body reaches the app through limitedBody, so no action ever reads past the limit, and a body
 *     cut off at the limit answers 413 whatever the action did with the error;
 *   - the route's own headers replace the server's defaults instead of being appended to them.
 */
import type { IncomingMessage } from "node:http";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import { bodyLimitFor, limitedBody, sendTooLarge, type BodyLimits, type BodyTooLargeError } from "./body-limit.server";
import { carriesSession, SIGNED_IN_CACHE_CONTROL } from "./security-headers.server";

/** What every loader and action gets as `context`; absent under `remix vite:dev`. */
export type ServerLoadContext = { cspNonce: string; remoteAddress: string };

export function createRemixHandler(options: {
  build: ServerBuild;
  mode?: string;
  limits: BodyLimits;
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => ServerLoadContext;
}) {
  const handle = createRequestHandler(options.build, options.mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    // An object, not a `let`: the body stream's callback sets it, which TypeScript's narrowing cannot see.
    const refused: { tooLarge: BodyTooLargeError | null } = { tooLarge: null };
    const controller = new AbortController();
    // Aborted once no answer can be written (client gone), as @remix-run/express does.
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const limit = bodyLimitFor(req.headers["content-type"], options.limits, req.originalUrl ?? req.url);
      const body =
        req.method === "GET" || req.method === "HEAD"
          ? undefined
          : limitedBody(req, limit, (error) => {
              refused.tooLarge = error;
              // Remix then treats the action's failure as an aborted request, not an app error to log.
              controller.abort(error);
            });
      const request = new Request(requestUrl(req), {
        method: req.method,
        headers: requestHeaders(req),
        body,
        signal: controller.signal,
        // Node's fetch needs `duplex` for a streamed body.
        duplex: "half",
      });
      let response: Response | null = null;
      try {
        response = await handle(request, options.getLoadContext(req, res));
      } catch (error) {
        if (!refused.tooLarge) throw error;
      }
      if (refused.tooLarge) {
        await response?.body?.cancel();
        sendTooLarge(req, res, refused.tooLarge.limit);
        return;
      }
      if (response) await sendResponse(req, res, response);
    } catch (error) {
      next(error);
    }
  };
}

function requestUrl(req: ExpressRequest): string {
  // As @remix-run/express: the host as the client named it (req.hostname honours "trust proxy").
  const port = (req.get("X-Forwarded-Host") ?? req.get("Host") ?? "").split(":")[1];
  const host = port && /^\d+$/.test(port) ? `${req.hostname}:${port}` : req.hostname;
  return new URL(`${req.protocol}://${host}${req.originalUrl}`).href;
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

async function sendResponse(req: IncomingMessage, res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie") res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("Set-Cookie", cookies);
  if (!response.headers.has("Cache-Control") && carriesSession(req)) res.setHeader("Cache-Control", SIGNED_IN_CACHE_CONTROL);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
