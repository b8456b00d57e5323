/**
 * Roster CSV import at district scale: a 10,000-row file (accented names, quoted commas, CRLF,
 * a BOM) against a database that already knows 20,000 people, 2,000 of whom the file matches
 * by district ID and 200 by name + email (rows the trainer reviews). Preview and commit are
 * timed as the import page runs them (parse, map, check, plan; then write in one transaction),
 * median of 3 runs each; each commit goes to a fresh session with fresh new people. The file's
 * School column (40 schools by name; blank for students, who get the session's school) is
 * mapped, so every person without a membership that school year gets one in the same commit.
 */
import { freshBenchDatabase, median, timed } from "./database";
import { csvCell, firstNameOf, lastNameOf } from "./names";
import type { BenchMetric, BenchSection } from "./types";

const ROWS = 10_000;
const KNOWN_PEOPLE = 20_000;
const MATCH_BY_ID = 2_000;
const MATCH_BY_NAME_EMAIL = 200;
const RUNS = 3;
const SCHOOLS = 40;


/** The file: extra and reordered columns, accented names, some with commas, CRLF and a BOM. */
function rosterCsv(runTag: string): string {
  const lines = ["\uFEFFSchool,Email Address,Last Name,First Name,Employee ID,Type"];
  for (let i = 0; i < ROWS; i++) {
    let id: string;
    let first = firstNameOf(i);
    let last = lastNameOf(i);
    let email = `learner${runTag}${i}@example.org`;
    if (i < MATCH_BY_ID) {
      id = `K${i}`; // known by district ID
    } else if (i < MATCH_BY_ID + MATCH_BY_NAME_EMAIL) {
      id = ""; // known by name + email only: a possible duplicate to review
      first = `Known${i}`;
      last = "Person";
      email = `known${i}@example.org`;
    } else {
      id = `N${runTag}-${i}`;
    }
    // A trainer may give a student only the session's school: their cell is blank.
    const student = i % 3 === 0;
    lines.push([student ? "" : `Bench School ${i % SCHOOLS}`, email, last, first, id, student ? "Student" : "staff"].map(csvCell).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

const section: BenchSection = {
  name: "roster-import",
  async run(): Promise<BenchMetric[]> {
    process.env.DATABASE_URL = freshBenchDatabase("roster-import");
    process.env.NODE_ENV = "production";
    process.env.SESSION_SECRET ??= "bench-only-secret-0123456789abcdef";
    // App modules read DATABASE_URL when first imported: only now may they load.
    const { prisma } = await import("~/db.server");
    const { checkRosterRows, suggestMapping, checkMapping } = await import("~/domain/roster-import");
    const { commitRosterImport, parseRosterFile, previewRosterImport } = await import("~/models/roster-import.server");

    const program = await prisma.program.create({ data: { code: `BENCH-${Date.now()}`, name: "Bench YMHFA", audience: "ADULTS" } });
    const trainer = await prisma.user.create({ data: { email: `bench-trainer-${Date.now()}@example.org`, name: "Bench Trainer", passwordHash: "x", role: "TRAINER" } });
    // The trainer of every benched session: who may be matched is decided as for a real import.
    const viewer = { id: trainer.id, role: "TRAINER" as const, schoolIds: [], personId: null };
    const region = await prisma.region.create({ data: { code: `BR-${Date.now()}`, name: "Bench region" } });
    const schools: Array<{ id: string }> = [];
    for (let i = 0; i < SCHOOLS; i++) {
      schools.push(await prisma.school.create({ data: { code: `BS-${i}`, name: `Bench School ${i}`, level: "HIGH", regionId: region.id } }));
    }
    const newSession = () =>
      prisma.trainingSession.create({
        data: {
          programId: program.id, format: "IN_PERSON", audience: "MIXED", schoolId: schools[0].id,
          days: { create: [{ startsAt: new Date("2026-11-14T16:00:00Z"), endsAt: new Date("2026-11-14T23:00:00Z") }] },
          trainers: { create: [{ userId: trainer.id, role: "LEAD" }] },
        },
      });

    const known = Array.from({ length: KNOWN_PEOPLE }, (_, i) =>
      i < MATCH_BY_ID
        ? { districtId: `K${i}`, firstName: firstNameOf(i), lastName: lastNameOf(i), email: null, kind: "STAFF" as const }
        : i < MATCH_BY_ID + MATCH_BY_NAME_EMAIL
          ? { districtId: null, firstName: `Known${i}`, lastName: "Person", email: `known${i}@example.org`, kind: "COMMUNITY" as const }
          : { districtId: `OTHER${i}`, firstName: "Other", lastName: `Person${i}`, email: `other${i}@example.org`, kind: "STAFF" as const },
    );
    for (let i = 0; i < known.length; i += 500) await prisma.person.createMany({ data: known.slice(i, i + 500) });

    const prepare = (text: string) => {
      const table = parseRosterFile(text);
      if (!table.ok) throw new Error(table.error);
      // The trainer mapped the School column once; the page remembers it.
      const mapping = suggestMapping(table.headers, { school: "school" });
      const problems = checkMapping(table.headers, mapping);
      if (problems.length) throw new Error(problems.join(" "));
      return checkRosterRows(table.headers, table.rows, mapping, "STAFF");
    };

    const previewSession = await newSession();
    const previewText = rosterCsv("p");
    const previewMs: number[] = [];
    const previewCpuMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { ms, cpuMs, result } = await timed(() => previewRosterImport(previewSession.id, prepare(previewText), new Map(), viewer));
      if (result.counts.rows !== ROWS || result.counts.matched !== MATCH_BY_ID || result.counts.review !== MATCH_BY_NAME_EMAIL) {
        throw new Error(`Unexpected preview: ${JSON.stringify(result.counts)}`);
      }
      previewMs.push(ms);
      previewCpuMs.push(cpuMs);
    }

    const commitMs: number[] = [];
    const commitCpuMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const session = await newSession();
      const text = rosterCsv(`c${run}`);
      // The trainer reviewed the name + email matches and chose the existing person for each.
      const candidates = await prisma.person.findMany({ where: { firstName: { startsWith: "Known" } }, select: { id: true, firstName: true } });
      const choices = new Map(candidates.map((c) => [Number(c.firstName.slice(5)) + 2, { use: "existing" as const, personId: c.id }]));
      const { ms, cpuMs, result } = await timed(() => commitRosterImport(session.id, prepare(text), choices, { overrideCapacity: false, actorId: trainer.id, viewer }));
      if (!result.ok) throw new Error(`Commit refused: ${result.message}`);
      if (result.summary.added !== ROWS) throw new Error(`Expected ${ROWS} added, got ${JSON.stringify(result.summary)}`);
      // First run: everyone but the community partners known by name + email on a student's
      // (blank-school) line. Later runs: the known people have this year's membership already.
      const partnersWithoutSchool = Array.from({ length: MATCH_BY_NAME_EMAIL }, (_, k) => MATCH_BY_ID + k).filter((i) => i % 3 === 0).length;
      const expected = run === 0 ? ROWS - partnersWithoutSchool : ROWS - MATCH_BY_ID - MATCH_BY_NAME_EMAIL;
      if (result.summary.memberships !== expected) throw new Error(`Expected ${expected} memberships, got ${JSON.stringify(result.summary)}`);
      commitMs.push(ms);
      commitCpuMs.push(cpuMs);
    }
    await prisma.$disconnect();

    return [
      { metric: `preview ${ROWS.toLocaleString("en-US")} rows (median of ${RUNS})`, value: median(previewMs), unit: "ms" },
      { metric: `commit ${ROWS.toLocaleString("en-US")} rows (median of ${RUNS})`, value: median(commitMs), unit: "ms" },
      { metric: "preview, slowest run", value: Math.max(...previewMs), unit: "ms" },
      { metric: "commit, slowest run", value: Math.max(...commitMs), unit: "ms" },
      // CPU time of this process (the SQLite work included: better-sqlite3 runs in-process).
      { metric: "preview CPU time (median)", value: median(previewCpuMs), unit: "ms" },
      { metric: "commit CPU time (median)", value: median(commitCpuMs), unit: "ms" },
    ];
  },
};

export default section;
