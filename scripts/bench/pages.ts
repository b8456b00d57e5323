/**
 * Bench section "pages": every page a program lead, coordinator, trainer and administrator opens, on the
 * district data set (reach-data.ts FULL: 1,000 schools, 600,000 people, 1.44 M certificates), timed through
 * the routes' own loaders — each route module's `loader` called with a signed-in GET request for the URL a
 * real visit produces, so the bench follows whatever the loaders call. p50 and p95 over repeated runs after
 * a warm-up run, each against its target (issue 13): p95 under 150 ms for every page, the school page under
 * 30 ms, the dashboard under 60 ms and within 2x of the raw-SQL lower bound (reach-bound.ts).
 *
 * better-sqlite3 runs queries synchronously, so a slow query cannot be interrupted from inside its process:
 * the pages run in a child process that reports each run as it starts; when one run takes longer than the
 * limit (PAGES_BENCH_LIMIT_S, 20 s), this process kills the child, reports that page as MISSED (timed out),
 * and goes on with the next page in a fresh child. A page that is merely slow stops repeating after
 * PAGE_BUDGET_MS and is reported over the runs it had.
 *
 * The child runs with its clock set to the data set's "today" (BENCH_AS_OF, 2026-03-02) and ticking from
 * there, because the loaders take "today" from the clock and the data set's figures are for that day.
 * The bench adds four users (one per role), their sign-in sessions, ten goals (through the new-goal
 * action), a 30-person session, the trainer's assignment to one school's sessions, and reminder passes; all of it is removed
 * again at the end (and before a run, whatever an interrupted run left).
 *
 * Run alone: `npx tsx scripts/bench/pages.ts [--runs 30] [--json]`; in the suite:
 * `npm run bench -- --only pages` (PAGES_BENCH_RUNS, PAGES_BENCH_LIMIT_S). Exits non-zero when a target
 * is missed, after printing everything.
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { BenchMetric, BenchSection } from "./types";
import { BENCH_AS_OF, ensureReachData, FULL, LAST_YEAR, useDataSetCopy } from "./reach-data";
import { prepareDashboardBound } from "./reach-bound";
import { argValue, field, isMainModule, type Loader, percentile, registerUrlImports, round, setClock, settle, signInBenchUsers } from "./loader-harness";

const THIS_FILE = fileURLToPath(import.meta.url);
const EVENT_MARK = "PAGES_BENCH_EVENT ";
const PAGE_P95_MS = 150;
const SCHOOL_P95_MS = 30;
const DASHBOARD_P95_MS = 60;
const DASHBOARD_BOUND_RATIO = 2;
/** Stop repeating a page after this much time on it: a page this slow has missed its target anyway. */
const PAGE_BUDGET_MS = 15_000;
/** Setting up a child (imports, users, goals) before its first page. */
const SETUP_LIMIT_MS = 180_000;
const REMINDER_PASSES = 10;
const GOALS = 10;
const BENCH_USER_PREFIX = "bench-pages-";
const ROLES = ["PROGRAM_LEAD", "COORDINATOR", "TRAINER", "ADMIN"] as const;
type BenchRole = (typeof ROLES)[number];
const userId = (role: BenchRole) => `${BENCH_USER_PREFIX}${role.toLowerCase()}`;
/** The bench's clock in the child: the data set's "today", mid-morning in the district. */
const BENCH_NOW = new Date(BENCH_AS_OF.getTime() + 15 * 3_600_000);
const BOUND = "raw-SQL lower bound (dashboard rows)";
const BENCH_SESSION_ID = `${BENCH_USER_PREFIX}session`;

type PageSpec = {
  key: string;
  name: string;
  /** p95 must be under this, in ms; null: informational. */
  p95: number | null;
  /** The dashboard: p95 at most this many times the lower bound's p95. */
  boundRatio?: number;
};

/** In the order they run; the lower bound right before the dashboard, in the same child. */
const PAGES: PageSpec[] = [
  { key: "bound", name: BOUND, p95: null },
  { key: "dashboard", name: "lead: dashboard", p95: DASHBOARD_P95_MS, boundRatio: DASHBOARD_BOUND_RATIO },
  { key: "region", name: "lead: region page", p95: PAGE_P95_MS },
  { key: "region-list", name: "lead: region page + people list, page 1", p95: PAGE_P95_MS },
  { key: "region-list-later", name: "lead: region page + people list, last page", p95: PAGE_P95_MS },
  { key: "region-students", name: "admin: region page + QPR students list, page 1", p95: PAGE_P95_MS },
  { key: "region-students-later", name: "admin: region page + QPR students list, last page", p95: PAGE_P95_MS },
  // Next from the middle of the list (the link carries the page's last person): what any page costs.
  { key: "region-students-next", name: "admin: region page + QPR students list, Next from the middle", p95: PAGE_P95_MS },
  { key: "school", name: "lead: school page", p95: SCHOOL_P95_MS },
  { key: "school-list", name: "lead: school page + people list, page 1", p95: SCHOOL_P95_MS },
  // A school's staff lists fit on one page; its students trained (all time) run to many, and need an administrator.
  { key: "school-students", name: "admin: school page + QPR students list, page 1", p95: SCHOOL_P95_MS },
  { key: "school-students-later", name: "admin: school page + QPR students list, last page", p95: SCHOOL_P95_MS },
  { key: "goals", name: `lead: goals list (${GOALS} goals)`, p95: PAGE_P95_MS },
  { key: "goal", name: "lead: goal detail (district)", p95: PAGE_P95_MS },
  { key: "growth", name: "lead: growth, district, 24 months", p95: PAGE_P95_MS },
  { key: "report", name: "lead: printable report", p95: PAGE_P95_MS },
  { key: "coordinator", name: "coordinator: home with expiring list", p95: PAGE_P95_MS },
  { key: "coordinator-csv", name: "coordinator: expiring list CSV", p95: PAGE_P95_MS },
  { key: "trainer", name: "trainer: home", p95: PAGE_P95_MS },
  { key: "trainer-sessions", name: "trainer: sessions list", p95: PAGE_P95_MS },
  { key: "session", name: "trainer: session page (30 people)", p95: PAGE_P95_MS },
  { key: "roster", name: "trainer: roster (30 people)", p95: PAGE_P95_MS },
  { key: "admin", name: "admin: home", p95: PAGE_P95_MS },
  { key: "admin-sessions", name: "admin: sessions list", p95: PAGE_P95_MS },
  { key: "search-id", name: "admin: people search by district ID", p95: PAGE_P95_MS },
  { key: "search-name", name: "admin: people search by name prefix", p95: PAGE_P95_MS },
  { key: "person", name: "admin: person page", p95: PAGE_P95_MS },
  { key: "reminders", name: `reminder pass (next day, ${REMINDER_PASSES} days)`, p95: PAGE_P95_MS },
];

/** What the pages are opened on, chosen once from the data set (see choosePicks). */
type Picks = {
  regionId: string;
  schoolId: string;
  schoolCode: string;
  regionIds: string[];
  largeSchoolCodes: string[];
  /** Staff of the school this school year: the bench's 30-person session enrolls them. */
  sessionPeopleIds: string[];
  personId: string;
  personDistrictId: string;
  namePrefix: string;
};

type PageResult = {
  key: string;
  p50: number | null;
  p95: number | null;
  runs: number;
  /** Why there is no figure, or a note on it. */
  note?: string;
  failed?: boolean;
};

type ChildEvent =
  | { type: "ready" }
  | { type: "begin"; index: number }
  | { type: "run"; index: number }
  | { type: "result"; index: number; result: PageResult }
  | { type: "info"; name: string; ms: number };

/**
 * PAGES_BENCH_ONLY=key,key (or `--pages key,key`) runs and reports only those pages, for working on one
 * page; `npm run bench` runs them all. Read when asked: `--pages` sets it after this module loads.
 */
function selected(key: string) {
  const only = (process.env.PAGES_BENCH_ONLY ?? "").split(",").map((k) => k.trim()).filter(Boolean);
  return only.length === 0 || only.includes(key);
}

function emit(event: ChildEvent) {
  process.stdout.write(`${EVENT_MARK}${JSON.stringify(event)}\n`);
}

/* ------------------------------------------------------------------------------------------------ */
/* The child: opens the pages.                                                                       */
/* ------------------------------------------------------------------------------------------------ */

async function childMain(dbFile: string, from: number, runs: number, picks: Picks) {
  setClock(BENCH_NOW);
  registerUrlImports();
  process.env.DATABASE_URL = `file:${path.resolve(dbFile)}`;
  process.env.NODE_ENV = "production";
  process.env.SESSION_SECRET = "bench-pages-session-secret-0123456789";
  delete process.env.SMTP_URL; // reminders go to the outbox: the bench times the pass, not a mail server

  const { prisma } = await import("~/db.server");
  const { runReminderPass } = await import("~/models/reminders.server");
  const cookieOf = await signInBenchUsers(ROLES, userId);
  await prisma.coordinatorSchool.upsert({
    where: { userId_schoolId: { userId: userId("COORDINATOR"), schoolId: picks.schoolId } },
    create: { userId: userId("COORDINATOR"), schoolId: picks.schoolId },
    update: {},
  });
  // A 30-person session (the data set's sessions have at most 25): YMHFA at the school, a week ahead, with
  // 30 of its staff enrolled, as a trainer has it while preparing the day.
  if (!(await prisma.trainingSession.findUnique({ where: { id: BENCH_SESSION_ID }, select: { id: true } }))) {
    const day = new Date(BENCH_AS_OF.getTime() + 8 * 86_400_000 + 16 * 3_600_000);
    await prisma.trainingSession.create({
      data: {
        id: BENCH_SESSION_ID, programId: "prog-ymhfa", title: "Bench: YMHFA for staff", format: "IN_PERSON", audience: "STAFF",
        schoolId: picks.schoolId, capacity: 30, createdById: userId("TRAINER"),
        days: { create: [{ startsAt: day, endsAt: new Date(day.getTime() + 7 * 3_600_000) }] },
        enrollments: { create: picks.sessionPeopleIds.map((personId) => ({ personId })) },
      },
    });
  }
  // The trainer leads every session of one school (about 400 over ten years) and the 30-person one.
  const sessions = await prisma.trainingSession.findMany({ where: { schoolId: picks.schoolId }, select: { id: true } });
  const assigned = await prisma.sessionTrainer.count({ where: { userId: userId("TRAINER") } });
  if (assigned !== sessions.length) {
    await prisma.sessionTrainer.deleteMany({ where: { userId: userId("TRAINER") } });
    await prisma.sessionTrainer.createMany({ data: sessions.map((s) => ({ sessionId: s.id, userId: userId("TRAINER"), role: "LEAD" as const })) });
  }

  const request = (role: BenchRole, url: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const body = init.form ? new URLSearchParams(init.form) : undefined;
    return new Request(`http://localhost${url}`, {
      method: init.method ?? "GET",
      body,
      headers: { Cookie: cookieOf.get(role) ?? "", ...(body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
    });
  };
  const routes = {
    lead: await import("~/routes/lead._index"),
    region: await import("~/routes/lead.regions.$regionId"),
    school: await import("~/routes/lead.schools.$schoolId"),
    goals: await import("~/routes/lead.goals._index"),
    goalNew: await import("~/routes/lead.goals.new"),
    goal: await import("~/routes/lead.goals.$goalId._index"),
    growth: await import("~/routes/lead.growth"),
    report: await import("~/routes/lead.report"),
    coordinator: await import("~/routes/coordinator._index"),
    coordinatorCsv: await import("~/routes/coordinator.expiring[.csv]"),
    trainer: await import("~/routes/trainer._index"),
    sessions: await import("~/routes/sessions._index"),
    session: await import("~/routes/sessions.$sessionId._index"),
    roster: await import("~/routes/sessions.$sessionId.roster"),
    admin: await import("~/routes/admin._index"),
    people: await import("~/routes/people._index"),
    person: await import("~/routes/people.$personId"),
  };

  // Ten goals, through the new-goal form's action as a lead would save them: the district, regions, schools.
  const existing = await prisma.goal.count({ where: { createdById: userId("PROGRAM_LEAD") } });
  const year = `${LAST_YEAR}-07-01`;
  const deadline = `${LAST_YEAR + 1}-06-30`;
  const goalForms: Array<Record<string, string>> = [
    { scope: "DISTRICT", programId: "prog-ymhfa", measure: "PEOPLE_TRAINED", target: "20000" },
    { scope: "DISTRICT", programId: "prog-ymhfa", measure: "STAFF_REACH", target: "60" },
    { scope: "DISTRICT", programId: "prog-qpr", measure: "PEOPLE_TRAINED", target: "150000" },
    { scope: "DISTRICT", programId: "prog-mhfa", measure: "STAFF_REACH", target: "20" },
    ...picks.regionIds.slice(0, 3).map((regionId, i) => ({ scope: "REGION", regionId, programId: "prog-ymhfa", measure: i % 2 ? "PEOPLE_TRAINED" : "STAFF_REACH", target: i % 2 ? "800" : "55" })),
    ...picks.largeSchoolCodes.slice(0, 3).map((schoolCode, i) => ({ scope: "SCHOOL", schoolCode, programId: "prog-ymhfa", measure: i % 2 ? "PEOPLE_TRAINED" : "STAFF_REACH", target: i % 2 ? "40" : "70" })),
  ];
  for (const form of goalForms.slice(existing, GOALS)) {
    const saved = await settle(() => routes.goalNew.action({ request: request("PROGRAM_LEAD", "/lead/goals/new", { method: "POST", form: { ...form, startsOn: year, deadline } }), params: {}, context: {} }));
    if (saved.status !== 302) throw new Error(`creating a bench goal answered ${saved.status}: ${JSON.stringify(saved.body)}`);
  }
  const districtGoal = await prisma.goal.findFirst({ where: { createdById: userId("PROGRAM_LEAD"), scope: "DISTRICT" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  if (!districtGoal) throw new Error("no bench goal");

  const get = (role: BenchRole, loader: Loader, url: string, params: Record<string, string> = {}) => () =>
    settle(() => loader({ request: request(role, url), params, context: {} }));
  /** The last page of a people list, from its first page's page count. */
  const lastPage = async (first: () => Promise<{ status: number; body: unknown }>) => {
    const count = field((await first()).body, "people", "pageCount");
    return typeof count === "number" ? count : 1;
  };
  const regionUrl = `/lead/regions/${picks.regionId}`;
  const schoolUrl = `/lead/schools/${picks.schoolId}`;
  const regionList = get("PROGRAM_LEAD", routes.region.loader, `${regionUrl}?list=staff-current`, { regionId: picks.regionId });
  const regionStudents = get("ADMIN", routes.region.loader, `${regionUrl}?list=students-all&program=QPR`, { regionId: picks.regionId });
  const schoolStudents = get("ADMIN", routes.school.loader, `${schoolUrl}?list=students-all&program=QPR`, { schoolId: picks.schoolId });
  const laterPage: Record<string, number> = {};

  let bound: (() => unknown) | null = null;
  const middle: { at: { page: number; after: string } | null } = { at: null };

  let reminderDay = 0;
  const open: Record<string, () => Promise<{ status: number; body: unknown }>> = {
    bound: async () => {
      if (!bound) {
        const dashboard = await get("PROGRAM_LEAD", routes.lead.loader, "/lead")();
        const programId = field(dashboard.body, "program", "id");
        if (typeof programId !== "string") throw new Error("the dashboard shows no program");
        const db = new Database(path.resolve(dbFile), { readonly: true });
        bound = prepareDashboardBound(db, { programId, schoolYear: LAST_YEAR, asOf: BENCH_AS_OF });
      }
      const run = bound;
      return { status: 200, body: run() };
    },
    dashboard: get("PROGRAM_LEAD", routes.lead.loader, "/lead"),
    region: get("PROGRAM_LEAD", routes.region.loader, regionUrl, { regionId: picks.regionId }),
    "region-list": regionList,
    "region-list-later": async () => get("PROGRAM_LEAD", routes.region.loader, `${regionUrl}?list=staff-current&listPage=${laterPage["region-list-later"]}`, { regionId: picks.regionId })(),
    "region-students": regionStudents,
    "region-students-later": async () => get("ADMIN", routes.region.loader, `${regionUrl}?list=students-all&program=QPR&listPage=${laterPage["region-students-later"]}`, { regionId: picks.regionId })(),
    "region-students-next": async () => {
      if (!middle.at) {
        // The middle page, opened by number once (untimed), gives the Next link to follow.
        const pageCount = await lastPage(regionStudents);
        const page = Math.max(1, Math.floor(pageCount / 2));
        const opened = await get("ADMIN", routes.region.loader, `${regionUrl}?list=students-all&program=QPR&listPage=${page}`, { regionId: picks.regionId })();
        const after = field(opened.body, "people", "nextAfter");
        if (typeof after !== "string") throw new Error(`the middle page (${page}) of the region's students list has no Next link`);
        middle.at = { page: page + 1, after };
      }
      return get("ADMIN", routes.region.loader, `${regionUrl}?list=students-all&program=QPR&listPage=${middle.at.page}&listAfter=${encodeURIComponent(middle.at.after)}`, { regionId: picks.regionId })();
    },
    school: get("PROGRAM_LEAD", routes.school.loader, schoolUrl, { schoolId: picks.schoolId }),
    "school-list": get("PROGRAM_LEAD", routes.school.loader, `${schoolUrl}?list=staff-current`, { schoolId: picks.schoolId }),
    "school-students": schoolStudents,
    "school-students-later": async () => get("ADMIN", routes.school.loader, `${schoolUrl}?list=students-all&program=QPR&listPage=${laterPage["school-students-later"]}`, { schoolId: picks.schoolId })(),
    goals: get("PROGRAM_LEAD", routes.goals.loader, "/lead/goals"),
    goal: get("PROGRAM_LEAD", routes.goal.loader, `/lead/goals/${districtGoal.id}`, { goalId: districtGoal.id }),
    growth: get("PROGRAM_LEAD", routes.growth.loader, `/lead/growth?scope=district&from=${LAST_YEAR - 1}-03-02`),
    report: get("PROGRAM_LEAD", routes.report.loader, "/lead/report"),
    coordinator: get("COORDINATOR", routes.coordinator.loader, "/coordinator"),
    "coordinator-csv": get("COORDINATOR", routes.coordinatorCsv.loader, "/coordinator/expiring.csv"),
    trainer: get("TRAINER", routes.trainer.loader, "/trainer"),
    "trainer-sessions": get("TRAINER", routes.sessions.loader, "/sessions"),
    session: get("TRAINER", routes.session.loader, `/sessions/${BENCH_SESSION_ID}`, { sessionId: BENCH_SESSION_ID }),
    roster: get("TRAINER", routes.roster.loader, `/sessions/${BENCH_SESSION_ID}/roster`, { sessionId: BENCH_SESSION_ID }),
    admin: get("ADMIN", routes.admin.loader, "/admin"),
    "admin-sessions": get("ADMIN", routes.sessions.loader, "/sessions"),
    "search-id": get("ADMIN", routes.people.loader, `/people?q=${encodeURIComponent(picks.personDistrictId)}`),
    "search-name": get("ADMIN", routes.people.loader, `/people?q=${encodeURIComponent(picks.namePrefix)}`),
    person: get("ADMIN", routes.person.loader, `/people/${picks.personId}`, { personId: picks.personId }),
    // The daily pass: the warm-up is the first pass ever (the backlog); each timed run is the next day's.
    reminders: async () => {
      const now = new Date(BENCH_NOW.getTime() + reminderDay * 86_400_000);
      reminderDay += 1;
      const summary = await runReminderPass({ now, transport: { channel: "outbox" }, log: () => {} });
      return { status: 200, body: summary };
    },
  };
  emit({ type: "ready" });

  for (let index = from; index < PAGES.length; index += 1) {
    const spec = PAGES[index];
    if (!selected(spec.key)) continue;
    const fn = open[spec.key];
    emit({ type: "begin", index });
    const firstOfList: Record<string, () => Promise<{ status: number; body: unknown }>> = {
      "region-list-later": regionList, "region-students-later": regionStudents, "school-students-later": schoolStudents,
    };
    if (firstOfList[spec.key]) laterPage[spec.key] = await lastPage(firstOfList[spec.key]);
    // Warm-up: first query plans, page cache. It must answer 200, or the figures would time an error page.
    emit({ type: "run", index });
    const warmStart = performance.now();
    const warm = await fn();
    const warmMs = performance.now() - warmStart;
    if (warm.status !== 200) {
      emit({ type: "result", index, result: { key: spec.key, p50: null, p95: null, runs: 0, failed: true, note: `answered ${warm.status}: ${JSON.stringify(warm.body).slice(0, 200)}` } });
      continue;
    }
    if (spec.key === "reminders") emit({ type: "info", name: "reminder pass: first pass ever (the backlog, warm-up)", ms: round(warmMs) });
    const n = spec.key === "reminders" ? REMINDER_PASSES : runs;
    const times: number[] = [];
    let spent = warmMs;
    for (let i = 0; i < n && spent < PAGE_BUDGET_MS; i += 1) {
      emit({ type: "run", index });
      const start = performance.now();
      const res = await fn();
      const ms = performance.now() - start;
      if (res.status !== 200) throw new Error(`${spec.name} answered ${res.status} on run ${i + 1}`);
      times.push(ms);
      spent += ms;
    }
    const sorted = times.sort((a, b) => a - b);
    const note = spec.key.endsWith("-later") ? `page ${laterPage[spec.key]}` : spec.key === "region-students-next" && middle.at ? `page ${middle.at.page}` : undefined;
    emit({
      type: "result",
      index,
      result: { key: spec.key, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), runs: sorted.length, ...(sorted.length < n ? { note: `stopped after ${sorted.length} runs (${PAGE_BUDGET_MS / 1000} s on this page)` } : note ? { note } : {}) },
    });
  }
  await prisma.$disconnect();
}

/* ------------------------------------------------------------------------------------------------ */
/* The parent: data set, picks, children under a time limit, cleanup, report.                        */
/* ------------------------------------------------------------------------------------------------ */

function rowOf(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object") throw new Error("pages bench: a pick query found nothing");
  return Object.fromEntries(Object.entries(value));
}
const text = (value: unknown) => (typeof value === "string" ? value : String(value));

/** What the pages open: the first region, the school with the most staff (and 30 of its staff for a session), the person with the most certificates. */
function choosePicks(db: Database.Database): Picks {
  const regionIds = db.prepare(`SELECT "id" FROM "Region" ORDER BY "code"`).all().map((r) => text(rowOf(r).id));
  const schools = db
    .prepare(`SELECT s."id", s."code" FROM "Headcount" h JOIN "School" s ON s."id" = h."schoolId" WHERE h."schoolYear" = ? ORDER BY h."staffCount" DESC, s."code" LIMIT 5`)
    .all(LAST_YEAR)
    .map(rowOf);
  const sessionPeopleIds = db
    .prepare(`SELECT DISTINCT a."personId" FROM "Affiliation" a JOIN "Person" p ON p."id" = a."personId" WHERE a."schoolId" = ? AND a."schoolYear" = ? AND p."kind" = 'STAFF' ORDER BY a."personId" LIMIT 30`)
    .all(text(schools[0].id), LAST_YEAR)
    .map((r) => text(rowOf(r).personId));
  if (sessionPeopleIds.length < 30) throw new Error(`pages bench: the largest school has ${sessionPeopleIds.length} staff, not 30`);
  const person = rowOf(
    db
      .prepare(
        `SELECT p."id", p."districtId", p."lastName" FROM (SELECT "personId", COUNT(*) AS n FROM "Certification" GROUP BY "personId" ORDER BY n DESC, "personId" LIMIT 1) c
         JOIN "Person" p ON p."id" = c."personId"`,
      )
      .get(),
  );
  return {
    regionId: regionIds[0],
    regionIds,
    schoolId: text(schools[0].id),
    schoolCode: text(schools[0].code),
    largeSchoolCodes: schools.map((s) => text(s.code)),
    sessionPeopleIds,
    personId: text(person.id),
    personDistrictId: text(person.districtId),
    namePrefix: text(person.lastName).slice(0, 3),
  };
}

const MARK_TABLES = ["ReminderDelivery", "OutboxMessage", "AuditEvent"] as const;

/**
 * Takes out what the bench added: its users' rows (goals, sign-in sessions, assignments) and every
 * reminder, outbox and audit row written since the marks stored at the start (kept in the data set, so
 * a run that was interrupted is cleaned up by the next one).
 */
function cleanUp(db: Database.Database) {
  const users = ROLES.map(userId);
  const marks = new Map<string, number>();
  const hasMarks = db.prepare(`SELECT 1 FROM sqlite_master WHERE "type" = 'table' AND "name" = '_PagesBenchMarks'`).get();
  if (hasMarks) for (const r of db.prepare(`SELECT "table", "rowid_mark" FROM "_PagesBenchMarks"`).all().map(rowOf)) marks.set(text(r.table), Number(r.rowid_mark));
  const inUsers = `(${users.map(() => "?").join(", ")})`;
  db.pragma("foreign_keys = ON"); // the bench session's days, enrollments and trainers go with it
  db.transaction(() => {
    db.prepare(`DELETE FROM "TrainingSession" WHERE "id" = ?`).run(BENCH_SESSION_ID);
    for (const table of MARK_TABLES) {
      const mark = marks.get(table);
      if (mark != null) db.prepare(`DELETE FROM "${table}" WHERE rowid > ?`).run(mark);
    }
    db.prepare(`DELETE FROM "AuditEvent" WHERE "actorId" IN ${inUsers}`).run(...users);
    db.prepare(`DELETE FROM "Goal" WHERE "createdById" IN ${inUsers}`).run(...users);
    db.prepare(`DELETE FROM "SessionTrainer" WHERE "userId" IN ${inUsers}`).run(...users);
    db.prepare(`DELETE FROM "CoordinatorSchool" WHERE "userId" IN ${inUsers}`).run(...users);
    db.prepare(`DELETE FROM "AuthSession" WHERE "userId" IN ${inUsers}`).run(...users);
    db.prepare(`DELETE FROM "User" WHERE "id" IN ${inUsers}`).run(...users);
    db.exec(`DROP TABLE IF EXISTS "_PagesBenchMarks"`);
  })();
}

function storeMarks(db: Database.Database) {
  db.exec(`CREATE TABLE "_PagesBenchMarks" ("table" TEXT PRIMARY KEY, "rowid_mark" INTEGER NOT NULL)`);
  const put = db.prepare(`INSERT INTO "_PagesBenchMarks" ("table", "rowid_mark") VALUES (?, ?)`);
  for (const table of MARK_TABLES) put.run(table, Number(rowOf(db.prepare(`SELECT COALESCE(MAX(rowid), 0) AS "m" FROM "${table}"`).get()).m));
}

type ChildOutcome = { results: Map<number, PageResult>; infos: Array<{ name: string; ms: number }>; next: number; setupFailed?: string };

/** Runs pages from `from` in one child; stops at the end, or at the first run over the limit (that page is reported timed out). */
function runChild(dbFile: string, from: number, runs: number, limitMs: number, picks: Picks): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(process.execPath, [...process.execArgv, THIS_FILE, "--pages-child", dbFile, "--from", String(from), "--runs", String(runs), "--picks", JSON.stringify(picks)], {
      stdio: ["ignore", "pipe", "pipe"],
      env: process.env,
    });
    const outcome: ChildOutcome = { results: new Map(), infos: [], next: PAGES.length };
    let current = -1;
    let ready = false;
    let killedFor: number | null = null;
    let buffer = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        killedFor = current;
        child.kill("SIGKILL");
      }, ms);
    };
    arm(SETUP_LIMIT_MS);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.startsWith(EVENT_MARK)) continue;
        const event: ChildEvent = JSON.parse(line.slice(EVENT_MARK.length));
        if (event.type === "ready") ready = true;
        else if (event.type === "begin") {
          current = event.index;
          process.stderr.write(`  ${PAGES[event.index].name}…\n`);
          arm(limitMs);
        } else if (event.type === "run") arm(limitMs);
        else if (event.type === "info") outcome.infos.push({ name: event.name, ms: event.ms });
        else if (event.type === "result") {
          outcome.results.set(event.index, event.result);
          arm(limitMs);
        }
      }
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (killedFor != null && killedFor >= 0) {
        outcome.results.set(killedFor, { key: PAGES[killedFor].key, p50: null, p95: null, runs: 0, failed: true, note: `timed out: one run took over ${limitMs / 1000} s` });
        outcome.next = killedFor + 1;
      } else if (!ready || (killedFor != null && current < 0)) {
        outcome.setupFailed = `the pages child failed before its first page (exit ${code})${killedFor != null ? `: setup took over ${SETUP_LIMIT_MS / 1000} s` : ""}\n${stderr}`;
        outcome.next = PAGES.length;
      } else if (code !== 0) {
        // A crash: the page it was on fails with the error's last lines; the pages after it get a fresh child.
        if (!outcome.results.has(current)) {
          outcome.results.set(current, { key: PAGES[current].key, p50: null, p95: null, runs: 0, failed: true, note: `failed (exit ${code}): ${stderr.trim().split("\n").slice(-3).join(" ")}` });
        }
        outcome.next = current + 1;
      }
      resolve(outcome);
    });
  });
}

type ReportRow = PageSpec & PageResult & { target: string | null; met: boolean | null; boundRatio95: number | null };

function judge(results: Map<number, PageResult>): ReportRow[] {
  const boundIndex = PAGES.findIndex((p) => p.key === "bound");
  const bound = results.get(boundIndex);
  return PAGES.map((spec, index) => {
    const r = results.get(index) ?? { key: spec.key, p50: null, p95: null, runs: 0, failed: true, note: "not run" };
    const ratio = spec.boundRatio != null && r.p95 != null && bound?.p95 ? Math.round((r.p95 / bound.p95) * 100) / 100 : null;
    if (spec.p95 == null) return { ...spec, ...r, target: null, met: null, boundRatio95: null };
    const target = `p95 < ${spec.p95} ms${spec.boundRatio != null ? `, ≤ ${spec.boundRatio}x bound` : ""}`;
    const met = !r.failed && r.p95 != null && r.p95 < spec.p95 && (spec.boundRatio == null || (ratio != null && ratio <= spec.boundRatio));
    return { ...spec, ...r, target, met, boundRatio95: ratio };
  });
}

function printReport(rows: ReportRow[], infos: Array<{ name: string; ms: number }>, header: string) {
  const fmt = (v: number | null) => (v == null ? "-" : v.toFixed(1)).padStart(8);
  const lines = [header, `${"page".padEnd(48)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"runs".padStart(5)}  target`];
  for (const r of rows) {
    const verdict = r.met == null ? (r.failed ? "FAILED" : "(informational)") : r.met ? "met" : "MISSED";
    const extra = [r.boundRatio95 != null ? `${r.boundRatio95}x bound` : null, r.note ?? null].filter(Boolean).join("; ");
    lines.push(`${r.name.padEnd(48)} ${fmt(r.p50)} ${fmt(r.p95)} ${String(r.runs).padStart(5)}  ${r.target ? `${r.target}: ${verdict}` : verdict}${extra ? `  (${extra})` : ""}`);
  }
  for (const info of infos) lines.push(`${info.name}: ${info.ms.toFixed(1)} ms (informational)`);
  process.stderr.write(`${lines.join("\n")}\n`);
}

export async function runPages({ runs = Number(process.env.PAGES_BENCH_RUNS ?? 30), limitMs = Number(process.env.PAGES_BENCH_LIMIT_S ?? 20) * 1000 } = {}) {
  // PAGES_BENCH_DB=<copy of reach-full.db>: a private copy while working on a page (see useDataSetCopy).
  const copy = process.env.PAGES_BENCH_DB;
  if (copy) process.stderr.write(`pages: using the copy ${copy} as it is (not a fresh data set)\n`);
  const data = copy ? useDataSetCopy(copy) : await ensureReachData(FULL);
  if (data.built) process.stderr.write(`reach-full built in ${data.loadSeconds?.toFixed(1)} s\n`);
  const db = new Database(path.resolve(data.file));
  cleanUp(db); // what an interrupted run left
  const picks = choosePicks(db);
  storeMarks(db);
  db.close();
  const results = new Map<number, PageResult>();
  const infos: Array<{ name: string; ms: number }> = [];
  // Other work on the machine shows in every figure: the load average goes in the header.
  const loadBefore = os.loadavg()[0];
  try {
    for (let from = 0; from < PAGES.length; ) {
      const outcome = await runChild(data.file, from, runs, limitMs, picks);
      for (const [i, r] of outcome.results) results.set(i, r);
      infos.push(...outcome.infos);
      if (outcome.setupFailed) throw new Error(outcome.setupFailed);
      from = outcome.next;
    }
  } finally {
    const after = new Database(path.resolve(data.file));
    cleanUp(after);
    after.close();
  }
  const rows = judge(results).filter((r) => selected(r.key));
  const n = (v: number | undefined) => (v ?? 0).toLocaleString("en-US");
  printReport(
    rows,
    infos,
    `\npages on reach-full (${n(data.counts.schools)} schools, ${n(data.counts.people)} people, ${n(data.counts.certifications)} certificates), as of ${BENCH_AS_OF.toISOString().slice(0, 10)}; p50/p95 over up to ${runs} runs after a warm-up, limit ${limitMs / 1000} s a run; `
      + `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after, on ${os.cpus().length} cores`,
  );
  return rows;
}

async function runSection(): Promise<BenchMetric[]> {
  const rows = await runPages();
  const metrics: BenchMetric[] = [];
  for (const r of rows) {
    if (r.failed) {
      metrics.push({ metric: `${r.name}: ${r.note ?? "failed"}`, value: NaN, unit: "ms", ...(r.target ? { target: r.target, met: false } : {}) });
      continue;
    }
    metrics.push({ metric: `${r.name} p50`, value: r.p50 ?? NaN, unit: "ms" });
    metrics.push({ metric: `${r.name} p95`, value: r.p95 ?? NaN, unit: "ms", ...(r.target ? { target: r.target, met: r.met === true } : {}) });
  }
  return metrics;
}

const section: BenchSection = { name: "pages", run: runSection };
export default section;

const argv = process.argv.slice(2);
if (isMainModule(import.meta.url)) {
  const only = argValue("--pages");
  if (only) {
    const unknown = only.split(",").filter((k) => !PAGES.some((p) => p.key === k));
    if (unknown.length) throw new Error(`--pages: no page ${unknown.join(", ")}; pages are ${PAGES.map((p) => p.key).join(", ")}`);
    process.env.PAGES_BENCH_ONLY = only; // read again by the children, which inherit the environment
  }
  const childFile = argValue("--pages-child");
  const main = childFile
    ? childMain(childFile, Number(argValue("--from") ?? 0), Number(argValue("--runs") ?? 30), JSON.parse(argValue("--picks") ?? "{}"))
    : runPages({ runs: Number(argValue("--runs") ?? process.env.PAGES_BENCH_RUNS ?? 30) }).then((rows) => {
        if (argv.includes("--json")) console.log(JSON.stringify(rows, null, 2));
        if (rows.some((r) => r.met === false || (r.failed && r.target))) process.exitCode = 1;
      });
  main.then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
