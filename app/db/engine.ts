/**
 * Which database engine a DATABASE_URL names (docs/decisions/016-postgresql.md): `file:` is the
 * embedded SQLite file, `postgres://` / `postgresql://` a PostgreSQL server. No framework, no driver:
 * the config, the scripts and the app all ask here.
 */
export type Engine = "sqlite" | "postgresql";

export function engineOf(url: string): Engine {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL must be a SQLite file URL (file:./data/app.db) or a PostgreSQL URL (postgresql://…); got "${redactUrl(url)}"`);
}

/** The URL with its password hidden, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
