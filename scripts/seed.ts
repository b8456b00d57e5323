/**
 * `npm run seed` (`tsx scripts/seed.ts --fresh`): deletes the SQLite database at DATABASE_URL,
 * migrates a new one and loads the demo district. Without --fresh it only seeds an empty
 * database, like `npm start`. On PostgreSQL it never drops anything: it migrates and seeds an
 * empty database (create a fresh one to start over).
 */
import {
  databaseLocation,
  deleteDatabaseFiles,
  ensureDatabaseDir,
  ensureSessionSecret,
  migrateDeploy,
  printDemoLogins,
  seedIfEmpty,
} from "./lib/db-setup";

const fresh = process.argv.includes("--fresh");
const db = databaseLocation();
ensureDatabaseDir(db);
ensureSessionSecret(db);
if (fresh && db.engine === "sqlite") {
  deleteDatabaseFiles(db);
  console.log(`Deleted ${db.file}`);
}
migrateDeploy(db);

const outcome = await seedIfEmpty(db);
if (outcome === "already-has-data") {
  console.error(`Database already has data; not seeding. ${db.engine === "sqlite" ? "Run `npm run seed` (with --fresh) to replace it with the demo district." : "On PostgreSQL nothing is dropped: create an empty database for the demo district and point DATABASE_URL at it."}`);
  process.exitCode = 1;
} else {
  await printDemoLogins();
}
