/**
 * Request bodies are bounded by the server itself (app/http/body-limit.server.ts), over real HTTP:
 * a declared oversize body is refused before it is sent, a chunked one is cut off at the limit, and
 * an action never sees a body that was cut short.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawExchange, startTestServer, type TestServer } from "./http-test-server";

// Small limits keep the test quick; the defaults (64 KB, 10 MB) are the same code with other numbers.
const limits = { formBytes: 4 * 1024, uploadBytes: 32 * 1024, directoryUploadBytes: 128 * 1024 };
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ limits });
});
afterAll(() => server.close());

const FORM = "application/x-www-form-urlencoded";
const FORM_MESSAGE = "This form sent more than 4 KB, the most this server accepts from one form. Shorten what you entered and send it again.";
const UPLOAD_MESSAGE = "The file is larger than 32 KB, the most this server accepts in one upload. Split it into smaller files and send each one.";

/** A body sent in chunks without a Content-Length, as a stream. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close();
      const size = Math.min(1024, left);
      left -= size;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
}

function multipart(fileBytes: number): FormData {
  const form = new FormData();
  form.append("intent", "preview");
  form.append("file", new File([new Uint8Array(fileBytes).fill(0x61)], "roster.csv", { type: "text/csv" }));
  return form;
}

describe("request body limits", () => {
  it("answers a declared Content-Length over the limit with 413 at once, without waiting for the body", async () => {
    const before = server.actionsCompleted();
    // 200 MB announced, a few bytes sent: the answer must come without the rest.
    const answer = await rawExchange(
      server.port,
      `POST /echo HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: ${FORM}\r\nContent-Length: 209715200\r\n\r\nemail=a`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain(FORM_MESSAGE);
    expect(server.actionsCompleted()).toBe(before);
  });

  it("refuses a client that asks first (Expect: 100-continue) before it sends the body", async () => {
    const answer = await rawExchange(
      server.port,
      `POST /echo HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: ${FORM}\r\nContent-Length: 209715200\r\nExpect: 100-continue\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).not.toContain("100 Continue");
    // Within the limit it is told to go on.
    const allowed = await rawExchange(
      server.port,
      `POST /echo HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: ${FORM}\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n`,
      500,
    );
    expect(allowed).toMatch(/^HTTP\/1\.1 100 Continue/);
  });

  it("cuts off a chunked body at the limit with 413, and the action never gets the part it read", async () => {
    const before = server.actionsCompleted();
    const res = await fetch(`${server.url}/echo`, { method: "POST", headers: { "Content-Type": FORM }, body: chunked(200 * 1024), duplex: "half" });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe(`${FORM_MESSAGE}\n`);
    expect(server.actionsCompleted()).toBe(before);
  });

  it("passes a body within the limit to the action whole", async () => {
    const small = await fetch(`${server.url}/echo`, { method: "POST", headers: { "Content-Type": FORM }, body: "a".repeat(4 * 1024) });
    expect(await small.text()).toBe("read 4096 characters");
    const streamed = await fetch(`${server.url}/echo`, { method: "POST", headers: { "Content-Type": FORM }, body: chunked(4 * 1024), duplex: "half" });
    expect(await streamed.text()).toBe("read 4096 characters");
  });

  it("allows a file upload (multipart/form-data) the larger limit, and refuses one over it with its own message", async () => {
    const within = await fetch(`${server.url}/echo`, { method: "POST", body: multipart(20 * 1024) });
    expect(within.status).toBe(200);
    const over = await fetch(`${server.url}/echo`, { method: "POST", body: multipart(40 * 1024) });
    expect(over.status).toBe(413);
    expect(await over.text()).toBe(`${UPLOAD_MESSAGE}\n`);
  });

  it("gives the district's people files (the directory import's one path) their own, larger limit", async () => {
    const within = await fetch(`${server.url}/admin/directory/import`, { method: "POST", body: multipart(40 * 1024), redirect: "manual" });
    // Past the 32 KB of other uploads, within the directory's: the body is read and the request reaches routing (this
    // test server's app has only /echo, so it answers 404; the real app's guard would ask a visitor to sign in).
    expect(within.status).toBe(404);
    const over = await fetch(`${server.url}/admin/directory/import`, { method: "POST", body: multipart(160 * 1024), redirect: "manual" });
    expect(over.status).toBe(413);
    const elsewhere = await fetch(`${server.url}/admin/schools/import`, { method: "POST", body: multipart(40 * 1024), redirect: "manual" });
    expect(elsewhere.status).toBe(413);
  });

  it("shows a browser's form post a readable page", async () => {
    const res = await fetch(`${server.url}/echo`, {
      method: "POST",
      headers: { "Content-Type": FORM, Accept: "text/html,application/xhtml+xml" },
      body: "a".repeat(8 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain("<h1>Too much was sent</h1>");
    expect(html).toContain(FORM_MESSAGE);
  });

  it("keeps serving after refusing oversized bodies", async () => {
    const refused = await Promise.all(
      Array.from({ length: 4 }, () => fetch(`${server.url}/echo`, { method: "POST", headers: { "Content-Type": FORM }, body: new Uint8Array(2 * 1024 * 1024) })),
    );
    expect(refused.map((r) => r.status)).toEqual([413, 413, 413, 413]);
    const res = await fetch(`${server.url}/echo`, { method: "POST", headers: { "Content-Type": FORM }, body: "email=a" });
    expect(await res.text()).toBe("read 7 characters");
  });
});
