import { prisma } from "~/db.server";
import type { Role } from "~/generated/prisma/client";
import { createUser, startAuthSessionCookie } from "./session-helpers";

export { prisma };

let counter = 0;
/** A short unique suffix for records a test creates in the shared worker database. */
export function unique(prefix = "t"): string {
  counter += 1;
  return `${prefix}${process.pid.toString(36)}${Date.now().toString(36)}${counter}`;
}

/** A user of the role, signed in: returns the user and the Cookie header to send. */
export async function signIn(role: Role, opts: { schoolIds?: string[]; personId?: string } = {}) {
  const user = await createUser(role, opts);
  const cookie = await startAuthSessionCookie(user.id);
  return { user, cookie };
}

type Method = "GET" | "POST";

/** A Request as Remix passes it to a loader or action. */
export function makeRequest(
  pathname: string,
  { method = "GET", cookie, form, headers = {} }: { method?: Method; cookie?: string; form?: Record<string, string | string[]> | FormData; headers?: Record<string, string> } = {},
): Request {
  let body: FormData | undefined;
  if (form instanceof FormData) body = form;
  else if (form) {
    body = new FormData();
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  }
  return new Request(`http://localhost${pathname}`, {
    method,
    body,
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
  });
}

/** Calls a loader or action and returns what it threw or returned, as a Response-like result. */
export async function call<T>(fn: () => Promise<T>): Promise<{ status: number; data: unknown; headers: Headers }> {
  try {
    const result = await fn();
    return unwrap(result);
  } catch (thrown) {
    return unwrap(thrown);
  }
}

function unwrap(value: unknown): { status: number; data: unknown; headers: Headers } {
  if (value instanceof Response) return { status: value.status, data: null, headers: value.headers };
  // Remix's data() returns a DataWithResponseInit.
  if (value && typeof value === "object" && "type" in value && value.type === "DataWithResponseInit") {
    const d = value as unknown as { data: unknown; init: ResponseInit | null };
    return { status: d.init?.status ?? 200, data: d.data, headers: new Headers(d.init?.headers) };
  }
  return { status: 200, data: value, headers: new Headers() };
}
