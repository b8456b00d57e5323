/**
 * Run by `npm start` (prestart, after the build): prepares the database so that a fresh clone serves
 * a working demo, and never changes a database that already holds data.
 *   1. SQLite: creates the database's folder and a random session secret beside it (kept if present);
 *      PostgreSQL: SESSION_SECRET must be set (every instance shares it);
 *   2. SQLite: applies the committed migrations. PostgreSQL: migrations are the release step
 *      (`npm run db:deploy`); the start refuses, naming it, while any is pending;
 *   3. loads the demo district when there are no schools and no users;
 *   4. prints the URL and the demo logins.
 */
import {
  databaseLocation,
  ensureDatabaseDir,
  ensureSessionSecret,
  hasDemoLogins,
  migrateDeploy,
  pendingMigrations,
  printDemoLogins,
  seedIfEmpty,
} from "./lib/db-setup";

const db = databaseLocation();
ensureDatabaseDir(db);
if (ensureSessionSecret(db) === "created" && db.engine === "sqlite") console.log(`Wrote a new session secret to ${db.dir}/session-secret`);
if (db.engine === "sqlite") {
  migrateDeploy(db);
} else {
  const pending = await pendingMigrations(db);
  if (pending.length) {
    console.error(`The PostgreSQL database has ${pending.length} migration(s) to apply (${pending.join(", ")}).\nRun the release step first: npm run db:deploy`);
    process.exit(1);
  }
}

const outcome = await seedIfEmpty(db);
if (outcome === "already-has-data") {
  console.log("Database already has data; not seeding");
  const note = (await hasDemoLogins(db)) ? undefined : "(This database was not loaded with the demo district: these logins will not work.)";
  await printDemoLogins({ note });
} else {
  await printDemoLogins();
}
