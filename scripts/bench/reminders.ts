/**
 * Renewal reminder passes at scale, and on the demo district.
 *
 * Full size: 1,500,000 certifications (100,000 adults with YMHFA/MHFA/QPR renewal chains over
 * ten years, students with QPR and Teen MHFA making up the rest), loaded with better-sqlite3
 * directly (prepared statements, one transaction, indexes built after). A stress setting: QPR is
 * given a 24-month validity with reminders 30 and 0 days out, so about 1.2 million certificates
 * can expire and the pass has real work (the district's own QPR never expires). Then, all through
 * the outbox channel:
 *   - the first pass ever (every reminder in reach is created: sent, or skipped as too late),
 *   - a second pass the same day (should be near-zero work: reads the candidates, writes nothing),
 *   - the next day's pass (the steady state: one day's worth of new reminders),
 * with the peak JS heap during the first pass (the certificates are never all in memory).
 * Demo size: the demo district (prisma/seed/demo-district.ts), one pass.
 *
 * Each data set lives in its own SQLite file under bench/.data/ and is measured in its own child
 * process, because app modules bind the Prisma client to DATABASE_URL when first imported.
 * Run alone: `npx tsx scripts/bench/reminders.ts` (BENCH_REMINDER_CERTS=200000 for a smaller set).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { freshBenchDatabase, timed } from "./database";
import type { BenchMetric, BenchSection } from "./types";
import { mulberry32 } from "../../prisma/seed/random";

const THIS_FILE = fileURLToPath(import.meta.url);
const RESULT_MARK = "REMINDER_BENCH_RESULT ";
/** The bench's "today"; the data is placed around it. */
const TODAY = Date.UTC(2026, 8, 14);
const DAY = 86_400_000;
const YEARS = 10;

function addMonthsMs(ms: number, months: number): number {
  const d = new Date(ms);
  const m = d.getUTCMonth() + months;
  const y = d.getUTCFullYear() + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(y, tm + 1, 0)).getUTCDate();
  return Date.UTC(y, tm, Math.min(d.getUTCDate(), last));
}

/** Dates as the Prisma SQLite adapter writes them: ISO 8601 with +00:00. */
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const id = (prefix: string, n: number) => `${prefix}${n.toString(36).padStart(8, "0")}`;

function progress(label: string) {
  const started = Date.now();
  return (line: string) => process.stderr.write(`  [${label} ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
}

/** Loads the full data set; returns how many certifications and people it wrote. */
function loadFullData(file: string, targetCerts: number) {
  const say = progress("load");
  const db = new Database(file);
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("foreign_keys = OFF");
  db.pragma("cache_size = -262144");
  // The migration's indexes are dropped for the load and built again after: much faster.
  const indexes = db
    .prepare(`SELECT "name", "sql" FROM sqlite_master WHERE type = 'index' AND "sql" IS NOT NULL`)
    .all()
    .filter((r): r is { name: string; sql: string } => typeof r === "object" && r !== null && "name" in r && "sql" in r && typeof r.name === "string" && typeof r.sql === "string");
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);

  const now = iso(TODAY);
  const ins = {
    program: db.prepare(
      `INSERT INTO "Program" ("id","code","name","audience","validityMonths","renewalWindowDays","reminderDays","renewalGuidance","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?)`,
    ),
    person: db.prepare(`INSERT INTO "Person" ("id","districtId","firstName","lastName","email","kind","remindersOptOutAt","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?)`),
    cert: db.prepare(`INSERT INTO "Certification" ("id","personId","programId","issuedOn","expiresOn","verificationCode","renewedById","createdAt") VALUES (?,?,?,?,?,?,?,?)`),
  };
  const PROGRAMS = {
    YMHFA: { id: "prog-ymhfa", name: "Youth Mental Health First Aid", audience: "ADULTS", validity: 36, window: 90, days: "90,30,7,0" },
    MHFA: { id: "prog-mhfa", name: "Mental Health First Aid (Adult)", audience: "ADULTS", validity: 36, window: 90, days: "90,30,7,0" },
    QPR: { id: "prog-qpr", name: "QPR Gatekeeper Training", audience: "ANYONE", validity: 24, window: null, days: "30,0" },
    TMHFA: { id: "prog-tmhfa", name: "Teen Mental Health First Aid", audience: "STUDENTS", validity: null, window: null, days: "90,30,7,0" },
  } as const;
  type Code = keyof typeof PROGRAMS;

  const rnd = mulberry32(20260914);
  const FIRST = ["Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jon", "Kemi", "Luis", "Mai", "Noor"];
  const LAST = ["Garcia", "Nguyen", "Smith", "Kim", "Lopez", "Patel", "Brown", "Chen", "Okafor", "Rossi", "Silva", "Tanaka"];
  const start = addMonthsMs(TODAY, -12 * YEARS);
  const randomDay = () => start + Math.floor(rnd() * YEARS * 365) * DAY;
  let certs = 0;
  let people = 0;
  let nextReport = 100_000;

  const certify = (personId: string, code: Code, issued: number, renewedById: string | null, certId = id("ce", certs + 1)) => {
    const p = PROGRAMS[code];
    const expires = p.validity == null ? null : addMonthsMs(issued, p.validity);
    ins.cert.run(certId, personId, p.id, iso(issued), expires == null ? null : iso(expires), `v${certId}`, renewedById, iso(issued));
    certs += 1;
    if (certs >= nextReport) {
      say(`${certs.toLocaleString("en-US")} certifications, ${people.toLocaleString("en-US")} people`);
      nextReport += 100_000;
    }
    return expires;
  };
  /** A first certificate and then renewals, each issued shortly before the previous one expires. */
  const chain = (personId: string, code: Code, renewChance: number) => {
    let issued = randomDay();
    let certId = id("ce", certs + 1);
    for (;;) {
      const validity = PROGRAMS[code].validity ?? 36;
      const renewOn = addMonthsMs(issued, validity) - (1 + Math.floor(rnd() * 80)) * DAY;
      const renew = renewOn <= TODAY && rnd() < renewChance;
      const nextId = renew ? id("ce", certs + 2) : null;
      certify(personId, code, issued, nextId, certId);
      if (!nextId) return;
      certId = nextId;
      issued = renewOn;
    }
  };
  const person = (kind: "STAFF" | "STUDENT" | "COMMUNITY", email: boolean) => {
    people += 1;
    const pid = id("pe", people);
    const optOut = email && rnd() < 0.03 ? now : null;
    ins.person.run(pid, kind === "COMMUNITY" ? null : `D${people}`, FIRST[people % FIRST.length], LAST[(people * 7) % LAST.length], email ? `${pid}@bench.example` : null, kind, optOut, now, now);
    return pid;
  };

  db.transaction(() => {
    for (const [code, p] of Object.entries(PROGRAMS)) {
      ins.program.run(p.id, code, p.name, p.audience, p.validity, p.window, p.days, "", now, now);
    }
    // Adults: 80,000 staff and 20,000 community partners, with renewal chains.
    for (let i = 0; i < 100_000 && certs < targetCerts; i += 1) {
      const staff = i < 80_000;
      const pid = person(staff ? "STAFF" : "COMMUNITY", staff || rnd() < 0.9);
      if (rnd() < 0.6) chain(pid, "YMHFA", 0.6);
      if (rnd() < 0.25) chain(pid, "MHFA", 0.4);
      if (rnd() < 0.5) chain(pid, "QPR", 0.5);
    }
    // Students: QPR (a few times over their school years) and Teen MHFA, until the target; 20% have a school email.
    while (certs < targetCerts) {
      const pid = person("STUDENT", rnd() < 0.2);
      const qpr = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < qpr && certs < targetCerts; k += 1) certify(pid, "QPR", randomDay(), null);
      if (certs < targetCerts && rnd() < 0.6) certify(pid, "TMHFA", randomDay(), null);
    }
  })();
  say(`${certs.toLocaleString("en-US")} certifications, ${people.toLocaleString("en-US")} people; building ${indexes.length} indexes`);
  for (const index of indexes) db.exec(index.sql);
  db.pragma("journal_mode = DELETE");
  db.pragma("synchronous = FULL");
  db.close();
  say("done");
  return { certs, people };
}

type PassNumbers = { ms: number; candidates: number; created: number; sent: number; skipped: number; failed: number };
const numbers = (ms: number, s: { candidates: number; created: number; sent: number; skipped: number; failed: number }): PassNumbers => ({
  ms, candidates: s.candidates, created: s.created, sent: s.sent, skipped: s.skipped, failed: s.failed,
});

/** Child process: one data set. Prints its metrics as one marked JSON line on stdout. */
async function measure(dataset: "full" | "demo"): Promise<BenchMetric[]> {
  const url = freshBenchDatabase(`reminders-${dataset}`);
  const file = url.replace(/^file:/, "");
  process.env.DATABASE_URL = url;
  process.env.NODE_ENV = "production";
  process.env.SESSION_SECRET ??= "bench-only-secret-0123456789abcdef";
  delete process.env.SMTP_URL; // always the outbox: the bench measures the pass, not a mail server
  const metrics: BenchMetric[] = [];
  const say = progress(dataset);
  const noon = (ms: number) => new Date(ms + 12 * 3_600_000);

  if (dataset === "full") {
    const target = Number(process.env.BENCH_REMINDER_CERTS ?? 1_500_000);
    const load = await timed(async () => loadFullData(file, target));
    metrics.push(
      { metric: "full: certifications loaded", value: load.result.certs, unit: "rows" },
      { metric: "full: people loaded", value: load.result.people, unit: "rows" },
      { metric: "full: load time (better-sqlite3, indexes after)", value: +(load.ms / 1000).toFixed(1), unit: "s" },
    );
  }

  // App modules read DATABASE_URL when first imported: only now may they load.
  const { prisma } = await import("~/db.server");
  const { runReminderPass } = await import("~/models/reminders.server");
  if (dataset === "demo") {
    const { seedDemoDistrict } = await import("../../prisma/seed/demo-district");
    const seeded = await timed(() => seedDemoDistrict(prisma, { today: new Date(TODAY), log: () => {} }));
    metrics.push({ metric: "demo: certifications", value: seeded.result.certifications, unit: "rows" });
  }

  const log = (line: string) => say(line);
  // Progress every 5 pages of 1,000 (plan and send), so a long pass is never silent.
  const logEveryBatches = 5;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 20);
  const heapBefore = process.memoryUsage().heapUsed;
  const first = await timed(() => runReminderPass({ now: noon(TODAY), transport: { channel: "outbox" }, log, logEveryBatches }));
  clearInterval(sampler);
  const second = await timed(() => runReminderPass({ now: noon(TODAY), transport: { channel: "outbox" }, log, logEveryBatches }));
  const nextDay = await timed(() => runReminderPass({ now: noon(TODAY + DAY), transport: { channel: "outbox" }, log, logEveryBatches }));
  const outbox = await prisma.outboxMessage.count();
  await prisma.$disconnect();

  const passes: Array<[string, PassNumbers]> = [
    ["first pass", numbers(first.ms, first.result)],
    ["same-day second pass", numbers(second.ms, second.result)],
    ["next-day pass", numbers(nextDay.ms, nextDay.result)],
  ];
  for (const [label, p] of passes) {
    if (dataset === "demo" && label !== "first pass") continue;
    metrics.push(
      { metric: `${dataset}: ${label} time`, value: p.ms, unit: "ms" },
      { metric: `${dataset}: ${label} candidates read`, value: p.candidates, unit: "certs" },
      { metric: `${dataset}: ${label} reminders created`, value: p.created, unit: "rows" },
      { metric: `${dataset}: ${label} sent (outbox or recorded)`, value: p.sent, unit: "reminders" },
      { metric: `${dataset}: ${label} skipped`, value: p.skipped, unit: "reminders" },
    );
  }
  if (first.result.sent > 0) metrics.push({ metric: `${dataset}: first pass time per reminder sent`, value: +(first.ms / first.result.sent).toFixed(3), unit: "ms" });
  metrics.push(
    { metric: `${dataset}: outbox messages written`, value: outbox, unit: "rows" },
    { metric: `${dataset}: first pass peak JS heap growth`, value: Math.max(0, Math.round((peakHeap - heapBefore) / 1024 / 1024)), unit: "MB" },
  );
  return metrics;
}

function runDataset(dataset: "full" | "demo"): Promise<BenchMetric[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, THIS_FILE, "--dataset", dataset], {
      stdio: ["ignore", "pipe", "inherit"],
      env: process.env,
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith(RESULT_MARK));
      if (code !== 0 || !line) {
        process.stderr.write(out);
        reject(new Error(`Reminder bench (${dataset}) failed with exit code ${code}`));
        return;
      }
      const parsed: unknown = JSON.parse(line.slice(RESULT_MARK.length));
      resolve(Array.isArray(parsed) ? parsed.filter(isMetric) : []);
    });
  });
}

function isMetric(value: unknown): value is BenchMetric {
  return typeof value === "object" && value !== null && "metric" in value && "value" in value && "unit" in value;
}

const section: BenchSection = {
  name: "reminders",
  async run() {
    const demo = await runDataset("demo");
    const full = await runDataset("full");
    return [...demo, ...full];
  },
};
export default section;
export const { name, run } = section;

// Run directly: as the child for one data set, or the whole section with a printed table.
if (process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  const i = process.argv.indexOf("--dataset");
  const dataset = i >= 0 ? process.argv[i + 1] : undefined;
  if (dataset === "full" || dataset === "demo") {
    const metrics = await measure(dataset);
    process.stdout.write(`${RESULT_MARK}${JSON.stringify(metrics)}\n`);
  } else {
    for (const m of await section.run()) console.log(`${m.metric.padEnd(56)} ${String(m.value).padStart(12)} ${m.unit}`);
  }
}
