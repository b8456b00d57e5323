import type { IncomingMessage, ServerResponse } from "node:http";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/**
 * An answer the server gives before the app runs (413, 403): a small HTML page for a browser's form post,
 * plain text for anything else (a script, or Remix's fetch when JavaScript is on).
 */
export function sendProblem(req: IncomingMessage, res: ServerResponse, status: number, title: string, message: string): void {
  const wantsHtml = /\btext\/html\b/.test(req.headers.accept ?? "");
  const body = wantsHtml
    ? `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>${escapeHtml(title)}</title></head>` +
      `<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>` +
      `<p>Use your browser's Back button to return to the form.</p></main></body></html>\n`
    : `${message}\n`;
  res.statusCode = status;
  res.setHeader("Content-Type", wantsHtml ? "text/html; charset=utf-8" : "text/plain; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.setHeader("Cache-Control", "no-store");
  res.end(req.method === "HEAD" ? undefined : body);
}
