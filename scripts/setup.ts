/**
 * Run by `npm start` (prestart, after the build): prepares the database so that a fresh clone serves
 * a working demo, and never changes a database that already holds data.
 *   1. SQLite: creates the database's folder and a random session secret beside it (kept if present);
 *      PostgreSQL: SESSION_SECRET must be set (every instance shares it);
 *   2. SQLite: applies the committed migrations. PostgreSQL: migrations are the release step
 *      (`npm run db:deploy`); the start refuses, naming it, while any is pending;
 *   3. loads the demo district when there are no schools and no users;
 *   4. when the reach rollup needs a full rebuild (a migration queued everyone): does it now on a small
 *      database; on a large one says so and leaves it to `npm run reach:rebuild` or to the first reach
 *      page, which starts it in the background (pages say "being prepared" meanwhile), so the start
 *      never waits minutes for it;
 *   5. prints the URL and the demo logins.
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

/** Certificates up to which a rebuild is done during the start (seconds at most; the demo has a few thousand). */
const REBUILD_INLINE_UP_TO = 50_000;

async function prepareReachFigures() {
  const { reachRebuildNeeded, rebuildReachRollups } = await import("~/models/reach-rollup.server");
  const app = await import("~/db.server");
  try {
    if (!(await reachRebuildNeeded())) return;
    const certificates = await app.prisma.certification.count();
    if (certificates > REBUILD_INLINE_UP_TO) {
      console.log(
        `Reach figures need a full rebuild (${certificates.toLocaleString("en-US")} certificates). Run \`npm run reach:rebuild\` now, ` +
          "or let the first reach page start it in the background: reach pages say the figures are being prepared until it is done.",
      );
      return;
    }
    const outcome = await rebuildReachRollups();
    console.log(`Rebuilt the reach rollup in ${outcome.seconds.toFixed(1)} s`);
  } finally {
    await app.prisma.$disconnect();
  }
}

const outcome = await seedIfEmpty(db);
if (outcome === "already-has-data") {
  console.log("Database already has data; not seeding");
  await prepareReachFigures();
  const note = (await hasDemoLogins(db)) ? undefined : "(This database was not loaded with the demo district: these logins will not work.)";
  await printDemoLogins({ note });
} else {
  await printDemoLogins();
}
