/**
 * Run by `npm start` (prestart, after the build): prepares the SQLite database so that a fresh
 * clone serves a working demo, and never changes a database that already holds data.
 *   1. creates the database's folder and a random session secret beside it (kept if present);
 *   2. applies the committed migrations;
 *   3. loads the demo district when there are no schools and no users;
 *   4. prints the URL and the demo logins.
 */
import {
  databaseLocation,
  ensureDatabaseDir,
  ensureSessionSecret,
  hasDemoLogins,
  migrateDeploy,
  printDemoLogins,
  seedIfEmpty,
} from "./lib/db-setup";

const db = databaseLocation();
ensureDatabaseDir(db);
if (ensureSessionSecret(db) === "created") console.log(`Wrote a new session secret to ${db.dir}/session-secret`);
migrateDeploy(db);

const outcome = await seedIfEmpty(db);
if (outcome === "already-has-data") {
  console.log("Database already has data; not seeding");
  const note = (await hasDemoLogins(db)) ? undefined : "(This database was not loaded with the demo district: these logins will not work.)";
  await printDemoLogins({ note });
} else {
  await printDemoLogins();
}
