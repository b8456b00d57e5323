/**
 * The MHFA platform export imported onto a roster the trainer already built (issue 14), through
 * the real route action and a real database (SQLite, or PostgreSQL when DATABASE_URL says so):
 *
 *   roster (by hand): Ana, Bo (marked absent on day 2), Cy (marked absent on day 1), Di, Ed
 *   export:           Ana, Bo, Cy Completed; Di In Progress; Fay (new) Completed;
 *                     Gus (new) Completed in a course that ran weeks before the session
 *
 * The preview must count the four roster members as already on the roster without a question
 * each, flag Gus's course by line and name, show Bo's and Cy's absences as conflicts for the
 * trainer to settle, and list Ed as on the roster but not in the export. The commit applies
 * exactly the trainer's choices, atomically, and a re-submitted or concurrent commit doubles nothing.
 *
 * roster-import.test.ts covers the import's other paths; roster.test.ts who may use the page.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma, signIn, makeRequest, call, unique } from "./helpers";
import { createPerson, createProgram, createSchool, createSession, enroll, recordAttendance } from "../../prisma/seed/factories";
import * as mhfaRoute from "~/routes/sessions.$sessionId.roster.mhfa-import";
import { absentField } from "~/forms/mhfa-import";
import { choiceField } from "~/forms/roster";

const HOUR = 3600_000;
const HEADER = `"Learner First Name","Learner Last Name","Learner Email","Course Name","Course Start Date","Course End Date","Completion Status"`;
let schoolId: string;
let programId: string;

beforeAll(async () => {
  schoolId = (await createSchool(prisma)).id;
  programId = (await createProgram(prisma, { preset: "YMHFA", maxParticipants: null })).id;
});

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null) throw new Error(`Expected an object, got ${String(value)}`);
  return Object.fromEntries(Object.entries(value));
}
const list = (value: unknown): unknown[] => {
  if (!Array.isArray(value)) throw new Error(`Expected a list, got ${String(value)}`);
  return value;
};

/** A two-day session (Nov 14-15, 2025), its roster built by hand, and the trainer's absences. */
async function rosterBuiltByHand() {
  const trainer = await signIn("TRAINER");
  const first = Date.UTC(2025, 10, 14, 16);
  const session = await createSession(prisma, {
    programId, schoolId, leadTrainerId: trainer.user.id,
    days: [0, 1].map((i) => ({ startsAt: new Date(first + i * 24 * HOUR), endsAt: new Date(first + i * 24 * HOUR + 3 * HOUR) })),
  });
  const days = await prisma.sessionDay.findMany({ where: { sessionId: session.id }, orderBy: { startsAt: "asc" } });
  const u = unique("x");
  const email = (name: string) => `${name.toLowerCase()}.${u}@example.org`;
  const people: Record<string, { id: string; enrollmentId: string; email: string }> = {};
  for (const [firstName, lastName] of [["Ana", "Li"], ["Bo", "Chen"], ["Cy", "Park"], ["Di", "Ortiz"], ["Ed", "Moss"]]) {
    const person = await createPerson(prisma, { kind: "STAFF", districtId: null, firstName, lastName, email: email(firstName) });
    const enrollment = await enroll(prisma, { sessionId: session.id, personId: person.id });
    people[firstName] = { id: person.id, enrollmentId: enrollment.id, email: email(firstName) };
  }
  await recordAttendance(prisma, { enrollmentId: people.Bo.enrollmentId, sessionDayId: days[1].id, status: "ABSENT" });
  await recordAttendance(prisma, { enrollmentId: people.Cy.enrollmentId, sessionDayId: days[0].id, status: "ABSENT" });
  const text = [
    HEADER,
    `"Ana","Li","${email("Ana")}","YMHFA, blended","11/14/2025","11/15/2025","Completed"`,
    `"BO","Chen","${email("Bo").toUpperCase()}","YMHFA, blended","11/14/2025","11/16/2025","Completed"`,
    `"Cy","Park","${email("Cy")}","YMHFA, blended","2025-11-14","2025-11-15","Completed"`,
    `"Di","Ortiz","${email("Di")}","YMHFA, blended","11/14/2025","","In Progress"`,
    `"Fay","Ng","${email("Fay")}","YMHFA, blended","11/14/2025","11/15/2025","Completed"`,
    `"Gus","Ray","${email("Gus")}","YMHFA October cohort","10/01/2025","10/02/2025","Completed"`,
  ].join("\r\n") + "\r\n";
  return { trainer, sessionId: session.id, days, people, text };
}

type Setup = Awaited<ReturnType<typeof rosterBuiltByHand>>;

async function step(s: Setup, intent: "preview" | "commit", fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append("intent", intent);
  form.append("csvText", s.text);
  form.append("fileName", "mhfa-export.csv");
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const request = makeRequest(`/sessions/${s.sessionId}/roster/mhfa-import`, { method: "POST", cookie: s.trainer.cookie, form });
  const res = await call(() => mhfaRoute.action({ request, params: { sessionId: s.sessionId }, context: {} }));
  return { status: res.status, data: record(res.data) };
}

/** Every attendance mark of the session, as [person, day index, status, method]. */
async function marks(s: Setup) {
  const rows = await prisma.attendance.findMany({
    where: { enrollment: { sessionId: s.sessionId } },
    select: { status: true, method: true, sessionDayId: true, enrollment: { select: { personId: true } } },
  });
  const nameOf = new Map(Object.entries(s.people).map(([name, p]) => [p.id, name]));
  return rows
    .map((r) => [nameOf.get(r.enrollment.personId) ?? "new", s.days.findIndex((d) => d.id === r.sessionDayId), r.status, r.method] as const)
    .filter(([name]) => name !== "new")
    .sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
}

async function counts(sessionId: string) {
  const [people, enrollments, attendance, audit] = await Promise.all([
    prisma.person.count(), prisma.enrollment.count({ where: { sessionId } }),
    prisma.attendance.count({ where: { enrollment: { sessionId } } }), prisma.auditEvent.count({ where: { entityId: sessionId } }),
  ]);
  return { people, enrollments, attendance, audit };
}

describe("the MHFA export against a roster the trainer built", () => {
  it("previews: roster members recognised and counted, a course on other dates flagged, absences shown as conflicts, the missing listed", async () => {
    const s = await rosterBuiltByHand();
    const preview = await step(s, "preview");
    expect(preview.status, JSON.stringify(preview.data).slice(0, 400)).toBe(200);
    const rows = new Map(list(preview.data.rows).map((r) => [Number(record(r).line), record(r)]));
    // Recognised without a question: on the roster, counted as such.
    expect([2, 3, 4, 5].map((line) => rows.get(line)?.status)).toEqual(["on-roster", "on-roster", "on-roster", "on-roster"]);
    expect([6, 7].map((line) => rows.get(line)?.status)).toEqual(["new", "new"]);
    expect(preview.data.counts).toMatchObject({ rows: 6, onRoster: 4, newPeople: 2, matched: 0, review: 0, unchosen: 0, errors: 0, toAdd: 2 });
    expect(preview.data.unchosenMessage).toBeNull();

    const review = record(preview.data.review);
    // Gus's course ran in October: flagged by line and course name, in the notice and on his row.
    const outside = list(review.outsideSession).map(record);
    expect(outside.map((o) => o.line)).toEqual([7]);
    expect(String(outside[0].message)).toBe(
      `Line 7: the course "YMHFA October cohort" ran Oct 1, 2025 to Oct 2, 2025, outside this session's days (Nov 14, 2025 to Nov 15, 2025). Check that the export is of this session's course.`,
    );
    expect(list(rows.get(7)?.messages)).toContain(outside[0].message);
    expect(rows.get(7)?.tone).toBe("warn");

    // Bo (absent day 2) and Cy (absent day 1): conflicts, undecided, blocking the commit.
    const conflicts = list(review.absentConflicts).map(record);
    expect(conflicts.map((c) => [c.line, c.personId, list(c.absentDays).map((d) => record(d).id), c.choice])).toEqual([
      [3, s.people.Bo.id, [s.days[1].id], null],
      [4, s.people.Cy.id, [s.days[0].id], null],
    ]);
    expect(String(review.absentUnchosenMessage)).toMatch(/^Choose "keep absent" or "take the platform's" for lines 3, 4: /);

    // Ed is on the roster and not in the export.
    expect(list(review.missingFromExport).map(record)).toEqual([{ personId: s.people.Ed.id, name: "Ed Moss", districtId: null, email: s.people.Ed.email }]);

    // A choice already made is shown back.
    const chosen = await step(s, "preview", { [absentField(3)]: "keep-absent" });
    expect(list(record(chosen.data.review).absentConflicts).map((c) => record(c).choice)).toEqual(["keep-absent", null]);
    expect(String(record(chosen.data.review).absentUnchosenMessage)).toMatch(/ for line 4: /);
  });

  it("refuses to commit while an absence is undecided, writing nothing; then applies exactly the trainer's choices", async () => {
    const s = await rosterBuiltByHand();
    const before = await counts(s.sessionId);
    const marksBefore = await marks(s);

    for (const fields of [{}, { [absentField(3)]: "keep-absent" }, { [absentField(3)]: "keep-absent", [absentField(4)]: "bogus" }]) {
      const refused = await step(s, "commit", fields);
      expect(refused.status).toBe(400);
      expect(String(refused.data.refusal)).toMatch(/^Nothing was imported yet\. Choose "keep absent" or "take the platform's" for line/);
      expect(await counts(s.sessionId)).toEqual(before);
      expect(await marks(s)).toEqual(marksBefore);
    }

    // Bo: keep his absence. Cy: take the platform's word.
    const choices = { [absentField(3)]: "keep-absent", [absentField(4)]: "platform" };
    const commit = await step(s, "commit", choices);
    expect(commit.status, JSON.stringify(commit.data).slice(0, 400)).toBe(200);
    expect(commit.data).toMatchObject({ stage: "done", summary: { added: 2, newPeople: 2, onRoster: 4, matched: 0 } });
    expect(await marks(s)).toEqual([
      ["Ana", 0, "PRESENT", "IMPORT"], ["Ana", 1, "PRESENT", "IMPORT"],
      ["Bo", 0, "PRESENT", "IMPORT"], ["Bo", 1, "ABSENT", "MANUAL"],
      ["Cy", 0, "PRESENT", "IMPORT"], ["Cy", 1, "PRESENT", "IMPORT"],
    ]);
    // The change to Cy's absence is attributable: who, and from what to what.
    const audit = await prisma.auditEvent.findMany({ where: { entityId: s.sessionId, action: "attendance.record" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorId).toBe(s.trainer.user.id);
    const changes = list(record(JSON.parse(audit[0].details ?? "{}")).changes).map(record);
    expect(changes).toContainEqual({ personId: s.people.Cy.id, sessionDayId: s.days[0].id, from: "ABSENT", to: "PRESENT" });
    expect(changes.some((c) => c.personId === s.people.Bo.id && c.sessionDayId === s.days[1].id)).toBe(false);
    const after = await counts(s.sessionId);
    expect(after.enrollments - before.enrollments).toBe(2);

    // Submitted again (a double click, the back button): nothing doubles, Bo's absence still stands.
    const again = await step(s, "commit", choices);
    expect(again.data).toMatchObject({ stage: "done", summary: { added: 0, newPeople: 0, onRoster: 6 } });
    expect(await counts(s.sessionId)).toEqual({ ...after, audit: after.audit });
    expect((await marks(s)).find(([name, day]) => name === "Bo" && day === 1)).toEqual(["Bo", 1, "ABSENT", "MANUAL"]);
  });

  it("takes the platform's word only where chosen: 'platform' for Bo overwrites his absence, and it is audited", async () => {
    const s = await rosterBuiltByHand();
    const commit = await step(s, "commit", { [absentField(3)]: "platform", [absentField(4)]: "keep-absent" });
    expect(commit.data).toMatchObject({ stage: "done" });
    const m = await marks(s);
    expect(m.filter(([name]) => name === "Bo")).toEqual([["Bo", 0, "PRESENT", "IMPORT"], ["Bo", 1, "PRESENT", "IMPORT"]]);
    expect(m.filter(([name]) => name === "Cy")).toEqual([["Cy", 0, "ABSENT", "MANUAL"], ["Cy", 1, "PRESENT", "IMPORT"]]);
  });

  it("an absence recorded after the preview is caught at commit: refused until chosen, nothing written", async () => {
    const s = await rosterBuiltByHand();
    const choices = { [absentField(3)]: "keep-absent", [absentField(4)]: "keep-absent" };
    const preview = await step(s, "preview", choices);
    expect(record(preview.data.review).absentUnchosenMessage).toBeNull();
    // Meanwhile the trainer marks Ana absent on day 1 on the attendance sheet.
    await recordAttendance(prisma, { enrollmentId: s.people.Ana.enrollmentId, sessionDayId: s.days[0].id, status: "ABSENT" });
    const before = await counts(s.sessionId);
    const refused = await step(s, "commit", choices);
    expect(refused.status).toBe(400);
    expect(String(refused.data.refusal)).toMatch(/for line 2: /);
    expect(await counts(s.sessionId)).toEqual(before);
  });

  it("two commits of the same export at once: each person enrolled once, each mark recorded once", async () => {
    const s = await rosterBuiltByHand();
    const choices = { [absentField(3)]: "keep-absent", [absentField(4)]: "platform" };
    const before = await counts(s.sessionId);
    const results = await Promise.all([step(s, "commit", choices), step(s, "commit", choices)]);
    for (const r of results) expect(r.data, JSON.stringify(r.data).slice(0, 300)).toMatchObject({ stage: "done" });
    expect(results.map((r) => Number(record(r.data.summary).added)).sort()).toEqual([0, 2]);
    const after = await counts(s.sessionId);
    expect(after.enrollments - before.enrollments).toBe(2);
    expect(after.people - before.people).toBe(2);
    // New marks: Ana 2, Bo 1 (day 2 stays absent), Cy 1 (day 1 overwritten in place, day 2 new), Fay 2, Gus 2.
    expect(after.attendance - before.attendance).toBe(2 + 1 + 1 + 2 + 2);
    const fay = await prisma.person.findMany({ where: { email: { startsWith: "fay." }, enrollments: { some: { sessionId: s.sessionId } } } });
    expect(fay).toHaveLength(1);
  });

  it("a name + email match with someone known but not on the roster is still a question, not a silent match", async () => {
    const s = await rosterBuiltByHand();
    const u = unique("k");
    const known = await createPerson(prisma, { kind: "STAFF", districtId: null, firstName: "Hal", lastName: "Kim", email: `hal.${u}@example.org` });
    const text = `${s.text}"Hal","Kim","hal.${u}@example.org","YMHFA, blended","11/14/2025","11/15/2025","Completed"\r\n`;
    const preview = await step({ ...s, text }, "preview");
    const hal = list(preview.data.rows).map(record).find((r) => r.line === 8);
    expect(hal?.status).toBe("review");
    expect(preview.data.counts).toMatchObject({ onRoster: 4, review: 1, unchosen: 1 });
    const commit = await step({ ...s, text }, "commit", {
      [absentField(3)]: "keep-absent", [absentField(4)]: "keep-absent", [choiceField(8)]: `person:${known.id}`,
    });
    expect(commit.data).toMatchObject({ stage: "done", summary: { matched: 1, onRoster: 4, newPeople: 2 } });
  });
});

describe("an export imported before the course", () => {
  it("sends the new learners their invitations once the import commits", async () => {
    const trainer = await signIn("TRAINER");
    const first = Date.UTC(2030, 4, 14, 16);
    const session = await createSession(prisma, {
      programId, schoolId, leadTrainerId: trainer.user.id,
      days: [{ startsAt: new Date(first), endsAt: new Date(first + 3 * HOUR) }],
    });
    const u = unique("pre");
    const text = [
      HEADER,
      `"Hal","Early","hal.${u}@example.org","YMHFA","05/14/2030","","Registered"`,
      `"Ivy","Early","ivy.${u}@example.org","YMHFA","05/14/2030","","Registered"`,
    ].join("\r\n") + "\r\n";
    const s = { trainer, sessionId: session.id, days: [], people: {}, text };
    const committed = await step(s, "commit");
    expect(committed.status).toBe(200);
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(2);
    // Written with the enrollments and relayed after the commit (no SMTP here: kept in the outbox), none left waiting.
    const mails = await prisma.sessionMail.findMany({ where: { sessionId: session.id }, select: { toAddress: true, status: true } });
    expect(mails.map((m) => m.toAddress).sort()).toEqual([`hal.${u}@example.org`, `ivy.${u}@example.org`]);
    expect(mails.every((m) => m.status === "SENT")).toBe(true);
  });
});
