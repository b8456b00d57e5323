/**
 * Request bodies are read only up to a limit: MAX_FORM_BYTES for ordinary forms, MAX_UPLOAD_BYTES for
 * multipart/form-data (file uploads). A declared Content-Length over the limit is refused before a byte
 * is read; a body without one (chunked) is counted as it streams and cut off at the limit.
 * See docs/decisions/007-http-limits-and-headers.md.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { sendProblem } from "./problem-page.server";

/** directoryUploadBytes: the district's people files (a OneRoster zip) are larger than any other upload. */
export type BodyLimits = { formBytes: number; uploadBytes: number; directoryUploadBytes?: number };

/** The one page that takes the district's people files. */
export const DIRECTORY_UPLOAD_PATH = "/admin/directory/import";
export type BodyLimit = { kind: "form" | "upload"; bytes: number };

export class BodyTooLargeError extends Error {
  constructor(readonly limit: BodyLimit) {
    super(tooLargeMessage(limit));
    this.name = "BodyTooLargeError";
  }
}

/** "64 KB", "10 MB", "1.5 MB": the limit as people read it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

export function bodyLimitFor(contentType: string | undefined, limits: BodyLimits, url = ""): BodyLimit {
  const multipart = /^multipart\/form-data\b/i.test((contentType ?? "").trim());
  if (!multipart) return { kind: "form", bytes: limits.formBytes };
  const pathname = url.split("?")[0].replace(/\/+$/, "");
  const bytes = pathname === DIRECTORY_UPLOAD_PATH && limits.directoryUploadBytes ? limits.directoryUploadBytes : limits.uploadBytes;
  return { kind: "upload", bytes };
}

export function tooLargeMessage(limit: BodyLimit): string {
  return limit.kind === "upload"
    ? `The file is larger than ${formatBytes(limit.bytes)}, the most this server accepts in one upload. Split it into smaller files and send each one.`
    : `This form sent more than ${formatBytes(limit.bytes)}, the most this server accepts from one form. Shorten what you entered and send it again.`;
}

/** The declared body length, or null when there is none (chunked) or it is not a plain number. */
export function declaredLength(req: IncomingMessage): number | null {
  const raw = req.headers["content-length"];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
}

/** True when the request says up front that its body is over the limit. */
export function declaresTooMuch(req: IncomingMessage, limits: BodyLimits): boolean {
  const length = declaredLength(req);
  return length !== null && length > bodyLimitFor(req.headers["content-type"], limits, req.url).bytes;
}

/** How long the rest of a refused body is drained (discarded, never kept) before the connection is cut. */
const DRAIN_MS = 5_000;

/**
 * The 413, sent at once. A client still sending cannot read an answer on a connection that was closed
 * under it (it sees a reset), so the rest of the body is drained and discarded, never kept, for at most
 * DRAIN_MS; then the connection is cut.
 */
export function sendTooLarge(req: IncomingMessage, res: ServerResponse, limit: BodyLimit): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.once("finish", () => {
    if (req.complete) return;
    const cut = setTimeout(() => req.socket.destroy(), DRAIN_MS);
    cut.unref();
    req.once("end", () => clearTimeout(cut));
    req.once("close", () => clearTimeout(cut));
    req.resume();
  });
  sendProblem(req, res, 413, "Too much was sent", tooLargeMessage(limit));
}

/** Express-style middleware: a Content-Length over the limit gets a 413 at once, unread. */
export function refuseDeclaredOversize(limits: BodyLimits) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (declaresTooMuch(req, limits)) sendTooLarge(req, res, bodyLimitFor(req.headers["content-type"], limits));
    else next();
  };
}

/**
 * The request body as a web stream that errors with BodyTooLargeError (and calls onTooLarge) as soon as
 * more than the limit has arrived, so a reader never sees a truncated body as if it were whole. A body
 * that ends early (the client went away) errors too. Backpressure is kept: the socket is paused while
 * the reader is behind.
 */
export function limitedBody(source: Readable, limit: BodyLimit, onTooLarge: (error: BodyTooLargeError) => void): ReadableStream<Uint8Array> {
  let received = 0;
  let detach = () => {};
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const onData = (chunk: Buffer) => {
          received += chunk.byteLength;
          if (received > limit.bytes) {
            detach();
            const error = new BodyTooLargeError(limit);
            onTooLarge(error);
            controller.error(error);
            return;
          }
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) source.pause();
        };
        const onEnd = () => {
          detach();
          controller.close();
        };
        const onError = (error: Error) => {
          detach();
          controller.error(error);
        };
        const onClose = () => onError(new Error("The request ended before its body was complete."));
        detach = () => {
          source.off("data", onData);
          source.off("end", onEnd);
          source.off("error", onError);
          source.off("close", onClose);
        };
        source.on("data", onData);
        source.once("end", onEnd);
        source.once("error", onError);
        source.once("close", onClose);
        source.pause();
      },
      pull() {
        source.resume();
      },
      cancel() {
        // Whoever read the body stopped early; the rest is discarded by Node once the response is sent.
        detach();
        source.resume();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}
