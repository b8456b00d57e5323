/**
 * What the page benchmarks (pages.ts, state.ts) share: route loaders called in-process as a signed-in visit
 * would call them, with the clock set to the data set's "today", and percentiles of the times.
 */
import { register } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { RoleName } from "~/domain/roles";

export function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}
export const round = (ms: number) => Math.round(ms * 10) / 10;


/**
 * The clock the loaders read (`new Date()`, `Date.now()`), moved to `at` and ticking from there. Dates
 * made before this call stay Dates (instanceof is forwarded to the real Date).
 */
export function setClock(at: Date) {
  const RealDate = Date;
  const offset = at.getTime() - RealDate.now();
  class BenchDate extends RealDate {
    constructor(...args: [] | [string | number | Date] | [number, number, number?, number?, number?, number?, number?]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else if (args.length === 1) super(args[0]);
      else super(args[0], args[1], args[2] ?? 1, args[3] ?? 0, args[4] ?? 0, args[5] ?? 0, args[6] ?? 0);
    }
    static now() {
      return RealDate.now() + offset;
    }
    static [Symbol.hasInstance](value: unknown) {
      return value instanceof RealDate;
    }
  }
  Object.defineProperty(globalThis, "Date", { value: BenchDate, writable: true, configurable: true });
}

/** Route modules import stylesheets as `…css?url` (a Vite feature); outside Vite they become an empty URL. */
const URL_IMPORT_HOOK = `export async function resolve(specifier, context, next) {
  if (specifier.endsWith("?url")) return { url: "data:text/javascript,export default ''", shortCircuit: true };
  return next(specifier, context);
}`;


export type LoaderArgs = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
export type Loader = (args: LoaderArgs) => Promise<unknown>;

/** What a loader returned or threw, as status and body (Remix's data() carries its status in init). */
export async function settle(run: () => Promise<unknown>): Promise<{ status: number; body: unknown }> {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, body: await value.text() };
  if (value && typeof value === "object" && "type" in value && value.type === "DataWithResponseInit" && "data" in value) {
    const init = "init" in value && value.init && typeof value.init === "object" && "status" in value.init ? value.init.status : 200;
    return { status: typeof init === "number" ? init : 200, body: value.data };
  }
  return { status: 200, body: value };
}

export function field(value: unknown, ...keys: string[]): unknown {
  let at = value;
  for (const key of keys) {
    if (!at || typeof at !== "object" || !(key in at)) return undefined;
    at = Object.getOwnPropertyDescriptor(at, key)?.value;
  }
  return at;
}

/** Lets route modules be imported outside Vite (their `…css?url` imports become an empty URL). */
export function registerUrlImports() {
  register(`data:text/javascript,${encodeURIComponent(URL_IMPORT_HOOK)}`);
}

/**
 * One user per role, signed in: a user row, an auth session row and its signed cookie, as a sign-in makes them.
 * Returns each role's Cookie header. Import after DATABASE_URL is set.
 */
export async function signInBenchUsers<R extends RoleName>(roles: readonly R[], userId: (role: R) => string): Promise<Map<R, string>> {
  const { prisma } = await import("~/db.server");
  const { getEnv } = await import("~/env.server");
  const { createCookie } = await import("@remix-run/node");
  const cookieOf = new Map<R, string>();
  const cookie = createCookie("__session", { secrets: getEnv().sessionSecrets, path: "/", httpOnly: true, sameSite: "lax" });
  for (const role of roles) {
    const id = userId(role);
    await prisma.user.upsert({
      where: { id },
      create: { id, email: `${id}@bench.example`, name: `Bench ${role.toLowerCase()}`, role },
      update: {},
    });
    const session = await prisma.authSession.upsert({
      where: { id: `${id}-session` },
      create: { id: `${id}-session`, userId: id, expiresAt: new Date(Date.now() + 7 * 86_400_000) },
      update: { expiresAt: new Date(Date.now() + 7 * 86_400_000) },
    });
    cookieOf.set(role, (await cookie.serialize(session.id)).split(";")[0]);
  }
  return cookieOf;
}

/** The value after `--name` on the command line, if any. */
export function argValue(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Whether the module at `moduleUrl` (its import.meta.url) was run directly, not imported. */
export function isMainModule(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(path.resolve(process.argv[1])).href;
}
