import { BlockList, isIP } from "node:net";
import { createCookie, redirect } from "@remix-run/node";
import { getEnv } from "~/env.server";
import { getUserForSession, startAuthSession, endAuthSession, type SessionUser } from "~/models/user.server";
import { homePathFor, type RoleName } from "~/domain/roles";

const MAX_AGE_SECONDS = 60 * 60 * 12; // a working day

// The cookie carries only the id of a database session, so it can be revoked.
function sessionCookie() {
  const env = getEnv();
  return createCookie("__session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env.secureCookies,
    secrets: env.sessionSecrets,
    maxAge: MAX_AGE_SECONDS,
  });
}

async function readSessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  const id = await readSessionId(request);
  return id ? getUserForSession(id) : null;
}

/** Guard: a signed-in user, or a redirect to sign in that comes back here. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/** Guard: a signed-in user holding one of the roles; anyone else gets 403. */
export async function requireRole(request: Request, ...roles: RoleName[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) {
    throw new Response("You do not have access to this page.", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

export async function createUserSession(request: Request, user: { id: string; role: RoleName }, redirectTo?: string) {
  const session = await startAuthSession(user.id, MAX_AGE_SECONDS, request.headers.get("User-Agent"));
  return redirect(redirectTo ?? homePathFor(user.role), {
    headers: { "Set-Cookie": await sessionCookie().serialize(session.id) },
  });
}

export async function logout(request: Request) {
  const id = await readSessionId(request);
  if (id) await endAuthSession(id);
  return redirect("/login", {
    headers: { "Set-Cookie": await sessionCookie().serialize("", { maxAge: 0 }) },
  });
}

// The HTTP server's getLoadContext gives `remoteAddress`: the TCP peer (`req.socket.remoteAddress`).
function peerAddress(context: unknown): string | undefined {
  if (typeof context !== "object" || context === null || !("remoteAddress" in context)) return undefined;
  return typeof context.remoteAddress === "string" && context.remoteAddress ? context.remoteAddress : undefined;
}

/** One spelling per address: "::ffff:203.0.113.9" (IPv4 on a dual-stack socket) is 203.0.113.9; ports dropped. */
function normaliseAddress(raw: string): string {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1];
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  if (withPort) address = withPort[1];
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) address = mapped[1];
  // An address is at most 45 characters; anything longer is not one and is not stored whole.
  return address.toLowerCase().slice(0, 64);
}

function proxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

let cachedProxies: { entries: readonly string[]; list: BlockList } | undefined;
function isTrustedProxy(address: string, entries: readonly string[]): boolean {
  if (cachedProxies?.entries !== entries) cachedProxies = { entries, list: proxyList(entries) };
  const family = isIP(address);
  return family !== 0 && cachedProxies.list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address, for throttling. The connection's peer address (from the load context) is the
 * client unless it is one of the configured proxies (TRUST_PROXY); then X-Forwarded-For is read from
 * the right, skipping our own proxies, and the first address they did not add is the client. Entries
 * further left were written by the client and are never believed. Without a peer address: "unknown".
 */
export function clientAddress(request: Request, context?: unknown, trustProxy: readonly string[] = getEnv().TRUST_PROXY): string {
  const peer = peerAddress(context);
  if (!peer) return "unknown";
  let client = normaliseAddress(peer);
  if (!isTrustedProxy(client, trustProxy)) return client;
  const forwarded = (request.headers.get("X-Forwarded-For") ?? "").split(",").map(normaliseAddress).filter(Boolean);
  for (const hop of forwarded.reverse()) {
    client = hop;
    if (!isTrustedProxy(hop, trustProxy)) break;
  }
  return client;
}
