import fs from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { isValidTimeZone } from "~/domain/time";

/** TRUST_PROXY: comma-separated proxy addresses or CIDR ranges; parsed to a list, empty when unset. */
export const TrustProxySchema = z
  .string()
  .default("")
  .transform((value) => value.split(",").map((entry) => entry.trim()).filter(Boolean))
  .superRefine((entries, ctx) => {
    for (const entry of entries) {
      const [address, prefix, ...rest] = entry.split("/");
      const family = isIP(address);
      const bits = family === 6 ? 128 : 32;
      const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
      if (!family || !prefixOk || rest.length) {
        ctx.addIssue({ code: "custom", message: `"${entry}" is not an IP address or CIDR range (e.g. 127.0.0.1,10.0.0.0/8)` });
      }
    }
  });

/**
 * Every environment variable the server reads, parsed once at start-up.
 * A bad or missing value stops the start with a message that names it.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must be a SQLite file URL such as file:./data/app.db or a PostgreSQL URL such as postgresql://user:pass@host:5432/db")
    .default("file:./data/app.db"),
  /** PostgreSQL only: connections each app instance keeps open at most (size a pooler or max_connections for all instances). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1, "must be at least 1").max(500, "must be at most 500").default(10),
  /** How long a write waits for another process (cron, a second server) holding SQLite's write lock. */
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000, "must be at most 60000").default(5000),
  /** Comma-separated; the first signs new cookies, the rest still verify (rotation). */
  SESSION_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** Marks the session cookie Secure; defaults to on in production. */
  SECURE_COOKIES: z.enum(["true", "false"]).optional(),
  /** The district's name as printed on pages and certificates. */
  DISTRICT_NAME: z.string().min(1).default("Lakeside Unified School District"),
  /** The district's time zone: session times are entered and shown in it. */
  DISTRICT_TIME_ZONE: z
    .string()
    .default("America/Los_Angeles")
    .refine(isValidTimeZone, "must be an IANA time zone such as America/Los_Angeles"),
  /**
   * Wrong passwords for one account from one address in 15 minutes before each further try must wait
   * (1 s, doubling, up to 15 min); one address may fail 10 times this across all accounts. Never a lockout.
   */
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  /**
   * The reverse proxies in front of the app, whose X-Forwarded-For is believed. Unset: no header is, and the
   * connection's own address is the client's. See docs/decisions/008-sign-in-throttling.md.
   */
  TRUST_PROXY: TrustProxySchema,
  /** Where reminder emails go, e.g. smtp://user:pass@host:587; absent: they are kept in the app's outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "must be an SMTP URL such as smtp://user:pass@host:587")
    .optional(),
  /** The From of reminder emails. */
  MAIL_FROM: z.string().min(3).default("Training Tracker <no-reply@district.example>"),
  /** The app's address as people reach it, for links in emails. */
  PUBLIC_BASE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, "must be an http(s) URL such as https://training.district.example")
    .default("http://localhost:3000")
    .transform((url) => url.replace(/\/+$/, "")),
  /** When set, the server itself runs a reminder pass every N minutes (otherwise run `npm run reminders` from cron). */
  REMINDER_SCHEDULE_MINUTES: z.coerce.number().int().min(1, "must be at least 1").max(1440, "must be at most 1440").optional(),
  /** Seconds from the server's start to the schedule's first pass. */
  REMINDER_SCHEDULE_FIRST_PASS_SECONDS: z.coerce.number().int().min(0).max(86_400, "must be at most 86400").default(60),
  /** The largest request body (bytes) the server reads for an ordinary form; larger gets a 413. */
  MAX_FORM_BYTES: z.coerce.number().int().min(1024, "must be at least 1024").default(64 * 1024),
  /** The largest multipart/form-data (file upload) body in bytes; larger gets a 413. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024, "must be at least 1024").default(10 * 1024 * 1024),
  /** The largest upload of the district's people files (a OneRoster zip or CSVs) in bytes. */
  MAX_DIRECTORY_UPLOAD_BYTES: z.coerce.number().int().min(1024, "must be at least 1024").default(200 * 1024 * 1024),
  /** Where uploaded people files wait between upload and commit; default: a folder beside the SQLite database. */
  DIRECTORY_IMPORT_DIR: z.string().min(1).optional(),
  /** Single sign-on (OpenID Connect): off unless set. https, or http only on this machine (tests, local use). */
  OIDC_ISSUER: z
    .string()
    .regex(/^(https:\/\/[^\s]+|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/[^\s]*)?)$/, "must be the provider's https URL, e.g. https://accounts.google.com")
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The ID-token claim with the district/employee ID, e.g. employee_id or Entra's employeeId. */
  OIDC_EMPLOYEE_ID_CLAIM: z.string().min(1).optional(),
  OIDC_EMAIL_CLAIM: z.string().min(1).default("email"),
  /** Comma-separated email domains that may sign in; unset: any. */
  OIDC_ALLOWED_DOMAINS: z.string().optional(),
  /** The sign-in button's label: "Sign in with {name}". */
  OIDC_PROVIDER_NAME: z.string().min(1).default("your district account"),
}).superRefine((env, ctx) => {
  if (!env.OIDC_ISSUER) return;
  for (const name of ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const) {
    if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: "required when OIDC_ISSUER is set" });
  }
});

export type Env = z.infer<typeof EnvSchema> & { sessionSecrets: string[]; secureCookies: boolean };

function readGeneratedSecret(databaseUrl: string): string | undefined {
  // Only beside an embedded SQLite file: app instances on PostgreSQL share SESSION_SECRET from the environment.
  if (!databaseUrl.startsWith("file:")) return undefined;
  // `npm start` writes a random secret beside the database on first run, so the demo
  // needs no configuration yet never runs with a secret that is published in the repo.
  const dbFile = databaseUrl.replace(/^file:/, "");
  const secretFile = path.join(path.dirname(path.resolve(dbFile)), "session-secret");
  return fs.existsSync(secretFile) ? fs.readFileSync(secretFile, "utf8").trim() : undefined;
}

/** Exported for tests of the start-up check; the app reads getEnv(). */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const rawSecret =
    env.SESSION_SECRET ??
    readGeneratedSecret(env.DATABASE_URL) ??
    (env.NODE_ENV === "production" ? undefined : "dev-only-secret-not-for-production");
  if (!rawSecret) {
    throw new Error(
      env.DATABASE_URL.startsWith("file:")
        ? "Invalid environment configuration:\n  SESSION_SECRET: required in production (or run `npm start`, which generates one)"
        : "Invalid environment configuration:\n  SESSION_SECRET: required on PostgreSQL, the same value for every app instance",
    );
  }
  const sessionSecrets = rawSecret.split(",").map((s) => s.trim()).filter(Boolean);
  return {
    ...env,
    sessionSecrets,
    secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === "true" : env.NODE_ENV === "production",
  };
}

let cached: Env | undefined;
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}
