/**
 * One app instance of tests/integration/reach-processes.test.ts, run as its own process on the test's
 * database (DATABASE_URL): it writes certificates, affiliations, merges, kinds and school regions of a
 * shared set of people, and reads reach figures (which apply the rollup queue) in between, as a
 * second app server would. It also owns a school and some people nobody else writes to, and checks
 * after each of its own writes that its next read counts it exactly.
 *
 * Protocol: argv[2] is the JSON plan; the process prints "ready", waits for "go" on stdin, runs, and
 * prints one line "done <JSON stats>". Any failure exits non-zero with the error on stderr.
 */
import { randomBytes } from "node:crypto";
import readline from "node:readline";
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { rollupFigures } from "~/models/reach-sql.server";

export type WriterPlan = {
  seed: number;
  operations: number;
  programIds: string[];
  regionIds: string[];
  schoolIds: string[];
  personIds: string[];
  /** [duplicate, kept]: merged and unmerged back and forth. */
  duplicates: Array<[string, string]>;
  /** This process's own school and people: nobody else writes to them. */
  own: { schoolId: string; personIds: string[] };
};

const plan: WriterPlan = JSON.parse(process.argv[2] ?? "{}");

// A small seeded generator (mulberry32): each process's run is repeatable from its seed.
let state = plan.seed >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const utcDay = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
const randomDay = () => utcDay(2024 + Math.floor(random() * 3), 1 + Math.floor(random() * 12), 1 + Math.floor(random() * 28));

/** Conflicts between the writers' own records (not the rollup's): another process got there first. */
function isRecordRace(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && (error.code === "P2025" || error.code === "P2002");
}

/**
 * Two writers that queue the same people in opposite orders (the triggers' ReachDirty inserts) can
 * deadlock each other on PostgreSQL; the one PostgreSQL picks fails with 40P01, and is counted here.
 * Never the rollup's drain: it waits for a writer's lock for 100 ms at most, well before deadlock_timeout.
 */
function isWriterDeadlock(error: unknown): boolean {
  return /40P01|deadlock detected/.test(String(error instanceof Error ? error.message : error)) || JSON.stringify(error ?? null).includes("40P01");
}

function certificate(personId: string, programId: string, issuedOn: Date, expiresOn: Date | null) {
  return { personId, programId, issuedOn, expiresOn, verificationCode: randomBytes(16).toString("base64url") };
}

const stats = { writes: 0, reads: 0, ownChecks: 0, races: 0, writerDeadlocks: 0 };

async function write(): Promise<void> {
  const roll = random();
  const programId = pick(plan.programIds);
  if (roll < 0.3) {
    const issuedOn = randomDay();
    const expiresOn = random() < 0.2 ? null : new Date(issuedOn.getTime() + (200 + Math.floor(random() * 900)) * 86_400_000);
    await prisma.certification.create({ data: certificate(pick(plan.personIds), programId, issuedOn, expiresOn) });
  } else if (roll < 0.4) {
    const cert = await prisma.certification.findFirst({ where: { personId: pick(plan.personIds) }, select: { id: true } });
    if (cert) await prisma.certification.delete({ where: { id: cert.id } });
  } else if (roll < 0.48) {
    const cert = await prisma.certification.findFirst({ where: { personId: pick(plan.personIds) }, select: { id: true, issuedOn: true } });
    if (cert) await prisma.certification.update({ where: { id: cert.id }, data: { expiresOn: new Date(cert.issuedOn.getTime() + Math.floor(random() * 1000) * 86_400_000) } });
  } else if (roll < 0.6) {
    await prisma.affiliation.create({ data: { personId: pick(plan.personIds), schoolId: pick(plan.schoolIds), schoolYear: 2024 + Math.floor(random() * 3) } });
  } else if (roll < 0.68) {
    const affiliation = await prisma.affiliation.findFirst({ where: { personId: pick(plan.personIds) }, select: { id: true } });
    if (affiliation) {
      if (random() < 0.5) await prisma.affiliation.delete({ where: { id: affiliation.id } });
      else await prisma.affiliation.update({ where: { id: affiliation.id }, data: { schoolId: pick(plan.schoolIds) } });
    }
  } else if (roll < 0.76) {
    const [duplicate, kept] = pick(plan.duplicates);
    const current = await prisma.person.findUniqueOrThrow({ where: { id: duplicate }, select: { mergedIntoId: true } });
    await prisma.person.update({ where: { id: duplicate }, data: { mergedIntoId: current.mergedIntoId ? null : kept } });
  } else if (roll < 0.82) {
    await prisma.person.update({ where: { id: pick(plan.personIds) }, data: { kind: pick(["STAFF", "STUDENT", "COMMUNITY"] as const) } });
  } else if (roll < 0.86) {
    await prisma.school.update({ where: { id: pick(plan.schoolIds) }, data: { regionId: pick(plan.regionIds) } });
  } else {
    // Several people in one transaction (a roster import, a session's certificates), in id order.
    const people = [...new Set([pick(plan.personIds), pick(plan.personIds), pick(plan.personIds)])].sort();
    const issuedOn = randomDay();
    await prisma.$transaction(async (tx) => {
      await tx.certification.createMany({ data: people.map((id) => certificate(id, programId, issuedOn, null)) });
      // Work between two statements (an import reading its next rows): the write stays in flight a while.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 30)));
      const schoolId = pick(plan.schoolIds);
      const there = new Set((await tx.affiliation.findMany({ where: { personId: { in: people }, schoolId, schoolYear: 2025 }, select: { personId: true } })).map((a) => a.personId));
      await tx.affiliation.createMany({ data: people.filter((id) => !there.has(id)).map((personId) => ({ personId, schoolId, schoolYear: 2025 })) });
    });
  }
}

/** Staff certified at this process's own school, as the figures read them right after its write. */
async function ownStaffCurrent(): Promise<number> {
  const rows = await rollupFigures({
    schoolYear: 2025, asOf: utcDay(2026, 3, 1), programId: plan.programIds[0], ymhfaProgramId: null, scope: { schoolIds: [plan.own.schoolId] },
  });
  const school = rows.find((r) => r.level === "school" && r.key === plan.own.schoolId);
  if (!school) throw new Error("own school missing from the figures");
  return school.counts.staffCurrent;
}

async function run(): Promise<void> {
  const ownCertified = new Set<string>();
  for (let i = 0; i < plan.operations; i += 1) {
    if (i % 5 === 4 && ownCertified.size < plan.own.personIds.length) {
      // Read-your-writes: one of the process's own people gets a certificate, and the very next read
      // counts them. An old, expired certificate first queues the person; the current one then goes in
      // by a transaction that stays open a while, so other processes apply the queue while it is in
      // flight (its trigger finds the person queued already and adds nothing).
      const personId = plan.own.personIds[ownCertified.size];
      await prisma.certification.create({ data: certificate(personId, plan.programIds[0], utcDay(2020, 1, 1), utcDay(2021, 1, 1)) });
      await prisma.$transaction(async (tx) => {
        await tx.certification.create({ data: certificate(personId, plan.programIds[0], utcDay(2025, 9, 1), null) });
        await new Promise((resolve) => setTimeout(resolve, 40));
      });
      ownCertified.add(personId);
      const seen = await ownStaffCurrent();
      if (seen !== ownCertified.size) throw new Error(`read after own write: staff current ${seen}, expected ${ownCertified.size}`);
      stats.ownChecks += 1;
    } else if (random() < 0.35) {
      await rollupFigures({ schoolYear: 2024 + Math.floor(random() * 3), asOf: randomDay(), programId: pick(plan.programIds), ymhfaProgramId: plan.programIds[0], scope: {} });
      stats.reads += 1;
    } else {
      try {
        await write();
        stats.writes += 1;
      } catch (error) {
        if (isRecordRace(error)) stats.races += 1;
        else if (isWriterDeadlock(error)) stats.writerDeadlocks += 1;
        else throw error;
      }
    }
  }
}

async function main(): Promise<void> {
  // Connect (and load every module) before the start signal, so that the processes' work overlaps.
  await prisma.$queryRaw`SELECT 1`;
  process.stdout.write("ready\n");
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === "go") break;
  lines.close();
  await run();
  process.stdout.write(`done ${JSON.stringify(stats)}\n`);
  await prisma.$disconnect();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
