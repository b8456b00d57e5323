/**
 * The roster imports' successful paths, through the real route actions and a real SQLite file:
 * the roster CSV import (upload → map columns → preview → commit, the file's text and the
 * column mapping carried between steps as the page carries them) and the MHFA platform export
 * import (preview → commit). Every test reads the database afterwards: who was created, with
 * which name and email, who was enrolled, which attendance and post-work was recorded, which
 * audit events were written, and that a refused or failed commit wrote nothing at all.
 *
 * roster-malformed.test.ts covers files that must be refused; roster.test.ts who may use the pages.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma, signIn, makeRequest, call, unique } from "./helpers";
import { createPerson, createProgram, createSchool, createSession, enroll } from "../../prisma/seed/factories";
import * as importRoute from "~/routes/sessions.$sessionId.roster.import";
import * as mhfaRoute from "~/routes/sessions.$sessionId.roster.mhfa-import";
import { choiceField, columnField } from "~/forms/roster";
import type { RosterField, RowView } from "~/domain/roster-import";

/**
 * Fault injection for the all-or-nothing tests: when set, the named step of the import runs
 * for real (its rows are written inside the import's transaction) and then fails, as a full
 * disk or a lost connection would. Unset, both functions are the real ones.
 */
const fault = vi.hoisted(() => ({
  after: null as null | "enrollPeople" | "recordAttendance",
  /** What the import's own transaction held just before the failure: proof the writes had happened. */
  seen: null as null | { people: number; enrollments: number; attendance: number; audit: number; affiliations: number },
}));
vi.mock("~/models/enrollment.server", async (importOriginal) => {
  const actual = await importOriginal<typeof import("~/models/enrollment.server")>();
  type Tx = NonNullable<Parameters<typeof actual.enrollPeople>[3]>;
  const failHere = async (tx: Tx | undefined, message: string): Promise<never> => {
    if (!tx) throw new Error("the import is expected to pass its transaction");
    const [people, enrollments, attendance, audit, affiliations] = await Promise.all([
      tx.person.count(), tx.enrollment.count(), tx.attendance.count(), tx.auditEvent.count(), tx.affiliation.count(),
    ]);
    fault.seen = { people, enrollments, attendance, audit, affiliations };
    throw new Error(message);
  };
  return {
    ...actual,
    enrollPeople: async (...args: Parameters<typeof actual.enrollPeople>) => {
      const result = await actual.enrollPeople(...args);
      if (fault.after === "enrollPeople") await failHere(args[3], "injected failure after enrolling");
      return result;
    },
    recordAttendance: async (...args: Parameters<typeof actual.recordAttendance>) => {
      const result = await actual.recordAttendance(...args);
      if (fault.after === "recordAttendance") await failHere(args[3], "injected failure after recording attendance");
      return result;
    },
  };
});

const HOUR = 3600_000;
let schoolId: string;
let programId: string;

beforeAll(async () => {
  schoolId = (await createSchool(prisma)).id;
  // No class-size limit from the program: each test sets the session's capacity itself.
  programId = (await createProgram(prisma, { preset: "YMHFA", maxParticipants: null })).id;
});

// --- Harness ----------------------------------------------------------------------------

type Trainer = Awaited<ReturnType<typeof signIn>>;

/** A signed-in trainer leading a fresh session (one day unless told, no seat limit unless told). */
async function newSession(opts: { capacity?: number | null; dayCount?: number; trainer?: Trainer; firstDay?: Date } = {}) {
  const trainer = opts.trainer ?? (await signIn("TRAINER"));
  const first = opts.firstDay?.getTime() ?? Date.UTC(2025, 10, 14, 16);
  const days = Array.from({ length: opts.dayCount ?? 1 }, (_, i) => ({
    startsAt: new Date(first + i * 24 * HOUR), endsAt: new Date(first + i * 24 * HOUR + 3 * HOUR),
  }));
  const session = await createSession(prisma, { programId, schoolId, leadTrainerId: trainer.user.id, capacity: opts.capacity ?? null, days });
  return { trainer, session, sessionId: session.id };
}

type Ctx = { trainer: Trainer; sessionId: string };

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null) throw new Error(`Expected an object, got ${String(value)}`);
  return Object.fromEntries(Object.entries(value));
}

function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error(`Expected a list, got ${String(value)}`);
  return value;
}

type Step = {
  intent: "upload" | "map" | "preview" | "commit";
  /** Bytes of an uploaded file (step 1), or */
  bytes?: Uint8Array;
  /** the text carried in the hidden field (later steps). */
  csvText?: string;
  mapping?: ReadonlyArray<RosterField>;
  /** "possible duplicate" choices by line: "new" or a person id. */
  choices?: Record<number, string>;
  overrideCapacity?: boolean;
};

function stepForm(step: Step): FormData {
  const form = new FormData();
  form.append("intent", step.intent);
  if (step.bytes) form.append("file", new File([Buffer.from(step.bytes)], "roster.csv", { type: "text/csv" }));
  if (step.csvText !== undefined) {
    form.append("csvText", step.csvText);
    form.append("fileName", "roster.csv");
  }
  step.mapping?.forEach((field, i) => form.append(columnField(i), field));
  for (const [line, choice] of Object.entries(step.choices ?? {})) {
    form.append(choiceField(Number(line)), choice === "new" ? "new" : `person:${choice}`);
  }
  if (step.overrideCapacity) form.append("overrideCapacity", "on");
  return form;
}

/** One step of the roster CSV import page. */
async function rosterStep(ctx: Ctx, step: Step) {
  const path = `/sessions/${ctx.sessionId}/roster/import`;
  const request = makeRequest(path, { method: "POST", cookie: ctx.trainer.cookie, form: stepForm(step) });
  const res = await call(() => importRoute.action({ request, params: { sessionId: ctx.sessionId }, context: {} }));
  return { status: res.status, data: record(res.data) };
}

/** One step of the MHFA export import page. */
async function mhfaStep(ctx: Ctx, step: Step) {
  const path = `/sessions/${ctx.sessionId}/roster/mhfa-import`;
  const request = makeRequest(path, { method: "POST", cookie: ctx.trainer.cookie, form: stepForm(step) });
  const res = await call(() => mhfaRoute.action({ request, params: { sessionId: ctx.sessionId }, context: {} }));
  return { status: res.status, data: record(res.data) };
}

/** The fields the map step offers, column by column. */
function suggested(data: Record<string, unknown>): RosterField[] {
  expect(data.stage).toBe("map");
  return list(data.columns).map((c) => String(record(c).field) as RosterField);
}

/** A preview's rows by line. */
function rowsByLine(data: Record<string, unknown>): Map<number, RowView> {
  expect(data.stage).toBe("preview");
  return new Map(list(data.rows).map((r) => {
    const row = record(r) as unknown as RowView;
    return [row.line, row];
  }));
}

/** Each line's outcome, as the preview shows it. */
function outcomes(data: Record<string, unknown>): Record<number, RowView["status"]> {
  return Object.fromEntries([...rowsByLine(data)].map(([line, row]) => [line, row.status]));
}

/** Upload, then preview with the suggested mapping, as a trainer who accepts the suggestion does. */
async function uploadAndPreview(ctx: Ctx, text: string, extra: Omit<Step, "intent" | "csvText"> = {}) {
  const upload = await rosterStep(ctx, { intent: "upload", csvText: text });
  expect(upload.status, JSON.stringify(upload.data).slice(0, 300)).toBe(200);
  const mapping = extra.mapping ?? suggested(upload.data);
  const csvText = String(upload.data.csvText);
  const preview = await rosterStep(ctx, { ...extra, intent: "preview", csvText, mapping });
  return { csvText, mapping, preview };
}

/** Everything an import can write, counted across the database. */
async function writes() {
  const [people, enrollments, attendance, audit, postWork, affiliations] = await Promise.all([
    prisma.person.count(), prisma.enrollment.count(), prisma.attendance.count(), prisma.auditEvent.count(),
    prisma.enrollment.count({ where: { postWorkCompletedOn: { not: null } } }), prisma.affiliation.count(),
  ]);
  return { people, enrollments, attendance, audit, postWork, affiliations };
}

async function rosterOf(sessionId: string) {
  return prisma.enrollment.findMany({
    where: { sessionId },
    include: { person: true, attendance: { orderBy: { sessionDayId: "asc" } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

const csv = (lines: string[], eol = "\r\n") => lines.join(eol) + eol;
const utf8 = (text: string, bom = false) => new Uint8Array(Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, "utf8")]));

// --- 1. A messy real-world file -----------------------------------------------------------

describe("a messy real-world roster file", () => {
  it("previews every row's outcome and commits people exactly as written, their enrollments and the audit trail", async () => {
    const ctx = await newSession();
    const u = unique("m");
    // Known before the import: someone with a district ID (spelt differently in the file), and
    // a community partner without one whose name and email the file repeats (without the accent).
    const known = await createPerson(prisma, { kind: "STAFF", districtId: `E-${u}-K`, firstName: "Joseph", lastName: "Nunes", email: `jnunes.${u}@example.org` });
    const renee = await createPerson(prisma, { kind: "COMMUNITY", districtId: null, firstName: "Renee", lastName: "Dubois", email: `renee.dubois.${u}@example.org` });

    // Zoë Ibáñez as a Mac writes her: decomposed accents (e + U+0308, a + U+0301).
    const zoeNfd = "Zoe\u0308";
    const ibanezNfd = "Iba\u0301n\u0303ez";
    expect(zoeNfd).not.toBe("Zoë");
    const text = csv([
      // Reordered columns, two extra ones, a header with a trailing space.
      "Email,Last Name ,Notes,First Name,Employee ID,Site",
      "",
      `  JOSE.NUNEZ.${u}@Example.ORG  ,  Núñez  ,"Prefers José, not Joe",  José ,E-${u}-1 ,"Lincoln High, Room 12"`,
      // Trailing spaces, and a no-break space as web pages and Excel leave them.
      `maria.garcia.${u}@example.org ,García,,María\u00a0  ,,"Roosevelt MS, Library"`,
      `,Nunes,,Joe,E-${u}-K,`,
      ",,,,,",
      `RENEE.DUBOIS.${u}@EXAMPLE.ORG,Dubois,"Community partner, PTA",Renée,,`,
      `ana.smith.${u}@example.org,"Smith, Jr.",,Ana,E-${u}-2,"Lincoln High, Room 12"`,
      // Line 3 again, as a second sign-up sheet had it.
      ` jose.nunez.${u}@example.org,Núñez,,José ,E-${u}-1,`,
      `,${ibanezNfd},,${zoeNfd},E-${u}-3,`,
      "",
    ]);
    const before = await writes();

    // Step 1: the file as uploaded, with its byte-order mark.
    const upload = await rosterStep(ctx, { intent: "upload", bytes: utf8(text, true) });
    expect(upload.status, JSON.stringify(upload.data).slice(0, 300)).toBe(200);
    expect(upload.data).toMatchObject({ stage: "map", rowCount: 7, problems: [] });
    const mapping = suggested(upload.data);
    expect(mapping).toEqual(["email", "last_name", "ignore", "first_name", "district_id", "ignore"]);
    const csvText = String(upload.data.csvText);

    // Step 3: what will happen to every row, before anything is written.
    const preview = await rosterStep(ctx, { intent: "preview", csvText, mapping });
    expect(preview.status, JSON.stringify(preview.data.errorMessages)).toBe(200);
    expect(preview.data.errorMessages).toEqual([]);
    expect(outcomes(preview.data)).toEqual({ 3: "new", 4: "new", 5: "matched", 7: "review", 8: "new", 9: "duplicate", 10: "new" });
    expect(preview.data.counts).toEqual({ rows: 7, newPeople: 4, matched: 1, onRoster: 0, duplicates: 1, review: 1, unchosen: 1, errors: 0, toAdd: 5 });
    const rows = rowsByLine(preview.data);
    expect(rows.get(3)).toMatchObject({ name: "José Núñez", email: `jose.nunez.${u}@example.org`, districtId: `E-${u}-1` });
    expect(rows.get(5)?.label).toBe(`Matched: Joseph Nunes (E-${u}-K)`);
    expect(rows.get(5)?.messages.join(" ")).toMatch(/the file says Joe Nunes; the district ID decides/);
    expect(rows.get(7)?.candidates.map((c) => c.value)).toEqual([`person:${renee.id}`, "new"]);
    expect(rows.get(9)?.label).toMatch(/repeats line 3, skipped/);
    // No school column: staff added get the session's school for the session's school year
    // (14 Nov 2025: 2025-26); the community partner none; a skipped repeat nothing.
    const schoolName = (await prisma.school.findUniqueOrThrow({ where: { id: schoolId } })).name;
    for (const line of [3, 4, 5, 8, 10]) expect(rows.get(line)?.membership, `line ${line}`).toBe(`+ ${schoolName}, 2025-26`);
    for (const line of [7, 9]) expect(rows.get(line)?.membership ?? null, `line ${line}`).toBeNull();
    expect(preview.data.membershipCount).toBe(5);
    expect(preview.data.unchosenMessage).toMatch(/for line 7: it matches someone by name and email/);
    expect(await writes(), "a preview writes nothing").toEqual(before);

    // Step 4: the trainer says line 7 is the Renee already known, and imports.
    const commit = await rosterStep(ctx, { intent: "commit", csvText, mapping, choices: { 7: renee.id } });
    expect(commit.status, JSON.stringify(commit.data).slice(0, 400)).toBe(200);
    expect(commit.data).toMatchObject({ stage: "done", summary: { added: 6, matched: 2, newPeople: 4, onRoster: 0, duplicates: 1, memberships: 5 } });

    const after = await writes();
    expect(after.people - before.people).toBe(4);
    expect(after.enrollments - before.enrollments).toBe(6);

    const roster = await rosterOf(ctx.sessionId);
    const people = roster.map((e) => e.person);
    const byId = (districtId: string) => people.find((p) => p.districtId === districtId);
    expect(byId(`E-${u}-1`)).toMatchObject({ firstName: "José", lastName: "Núñez", email: `jose.nunez.${u}@example.org`, kind: "STAFF", mergedIntoId: null });
    expect(people.find((p) => p.email === `maria.garcia.${u}@example.org`)).toMatchObject({ firstName: "María", lastName: "García", districtId: null });
    expect(byId(`E-${u}-2`)).toMatchObject({ firstName: "Ana", lastName: "Smith, Jr.", email: `ana.smith.${u}@example.org` });
    // Stored in the composed form, so "Zoë" typed on Windows finds her.
    expect(byId(`E-${u}-3`)).toMatchObject({ firstName: "Zo\u00eb", lastName: "Ib\u00e1\u00f1ez", email: null });
    // The matched and the chosen people are the records already known, unchanged.
    expect(byId(`E-${u}-K`)).toEqual(await prisma.person.findUniqueOrThrow({ where: { id: known.id } }));
    expect(byId(`E-${u}-K`)).toMatchObject({ firstName: "Joseph", lastName: "Nunes", email: `jnunes.${u}@example.org` });
    expect(people.find((p) => p.id === renee.id)).toMatchObject({ firstName: "Renee", lastName: "Dubois" });
    expect(people).toHaveLength(6);
    expect(new Set(people.map((p) => p.id)).size).toBe(6);
    // Names and emails carry no stray spaces.
    for (const p of people) {
      expect(p.firstName).toBe(p.firstName.trim());
      expect(p.lastName).toBe(p.lastName.trim());
      if (p.email) expect(p.email).toBe(p.email.trim().toLowerCase());
    }

    // The audit trail: one roster.add for the session naming everyone added, one person.create per new person.
    const rosterAdds = await prisma.auditEvent.findMany({ where: { entityType: "TrainingSession", entityId: ctx.sessionId, action: "roster.add" } });
    expect(rosterAdds).toHaveLength(1);
    expect(rosterAdds[0].actorId).toBe(ctx.trainer.user.id);
    const details = JSON.parse(rosterAdds[0].details) as { personIds: string[]; source: string; overCapacity: boolean };
    expect(details).toMatchObject({ source: "csv-import", overCapacity: false });
    expect([...details.personIds].sort()).toEqual(people.map((p) => p.id).sort());
    const created = people.filter((p) => p.id !== known.id && p.id !== renee.id).map((p) => p.id);
    const creates = await prisma.auditEvent.findMany({ where: { action: "person.create", entityType: "Person", entityId: { in: created } } });
    expect(creates.map((e) => e.entityId).sort()).toEqual(created.sort());
    for (const e of creates) {
      expect(e.actorId).toBe(ctx.trainer.user.id);
      expect(JSON.parse(e.details)).toMatchObject({ source: "csv-import" });
    }
    // One affiliation.create per membership added: the four new staff and Joseph, not Renee.
    const memberships = await prisma.affiliation.findMany({ where: { personId: { in: people.map((p) => p.id) } } });
    expect(memberships.map((m) => m.personId).sort()).toEqual(people.filter((p) => p.id !== renee.id).map((p) => p.id).sort());
    for (const m of memberships) expect(m).toMatchObject({ schoolId, schoolYear: 2025, title: null });
    const membershipAudits = await prisma.auditEvent.findMany({ where: { action: "affiliation.create", entityType: "Person", entityId: { in: people.map((p) => p.id) } } });
    expect(membershipAudits).toHaveLength(5);
    for (const e of membershipAudits) {
      expect(e.actorId).toBe(ctx.trainer.user.id);
      expect(JSON.parse(e.details)).toEqual({ schoolId, schoolYear: 2025, source: "csv-import" });
    }
    expect(after.affiliations - before.affiliations).toBe(5);
    expect(after.audit - before.audit).toBe(1 + 4 + 5);
  });
});

// --- 2. Matching -------------------------------------------------------------------------

describe("matching rows to people already known", () => {
  it("a district ID held under a clearly different name goes to review as a possible mistake, never a plain match", async () => {
    const ctx = await newSession();
    const u = unique("typo");
    const zzyzx = await createPerson(prisma, { kind: "STAFF", districtId: `T-${u}-1`, firstName: "Zzyzx", lastName: "Quarrington", email: `zq.${u}@example.org` });
    // Pat's ID mistyped as Zzyzx's: a typo must not enroll (and later certify) the wrong person.
    const text = csv([
      "First Name,Last Name,Employee ID,Email",
      `Pat,Tester,T-${u}-1,pat.${u}@example.org`,
    ]);
    const { csvText, mapping, preview } = await uploadAndPreview(ctx, text);
    expect(outcomes(preview.data)).toEqual({ 2: "review" });
    const row = rowsByLine(preview.data).get(2);
    expect(row?.label).toMatch(/^Possible mistake: the district ID belongs to Zzyzx Quarrington/);
    // The ID is taken: "create a new person" is not offered.
    expect(row?.candidates.map((c) => c.value)).toEqual([`person:${zzyzx.id}`]);

    const before = await writes();
    const refused = await rosterStep(ctx, { intent: "commit", csvText, mapping });
    expect(refused.status).toBe(400);
    expect(String(refused.data.refusal)).toMatch(/Check the district ID on line 2: it belongs to someone with a different name/);
    // "new" is no answer for a taken ID: still refused, nothing written.
    const asNew = await rosterStep(ctx, { intent: "commit", csvText, mapping, choices: { 2: "new" } });
    expect(asNew.status).toBe(400);
    expect(await writes()).toEqual(before);

    // The trainer confirms it really is them: enrolled, and the record is not changed.
    const confirmed = await rosterStep(ctx, { intent: "commit", csvText, mapping, choices: { 2: zzyzx.id } });
    expect(confirmed.status, JSON.stringify(confirmed.data).slice(0, 300)).toBe(200);
    expect((await rosterOf(ctx.sessionId)).map((e) => e.person.id)).toEqual([zzyzx.id]);
    expect(await prisma.person.findUniqueOrThrow({ where: { id: zzyzx.id } })).toMatchObject({ firstName: "Zzyzx", lastName: "Quarrington" });
  });

  it("a district ID decides; name + email only suggests, the commit waits for the trainer, and nothing is merged silently", async () => {
    const ctx = await newSession();
    const u = unique("x");
    const joseph = await createPerson(prisma, { kind: "STAFF", districtId: `D-${u}-A`, firstName: "Joseph", lastName: "Nunes", email: `joseph.${u}@example.org` });
    const maria = await createPerson(prisma, { kind: "COMMUNITY", districtId: null, firstName: "María", lastName: "García", email: `maria.${u}@example.org` });
    const luis = await createPerson(prisma, { kind: "COMMUNITY", districtId: null, firstName: "Luis", lastName: "Pérez", email: `luis.${u}@example.org` });
    // Ana Li holds another district ID: a row with a different ID is someone else, not a candidate.
    const ana = await createPerson(prisma, { kind: "STAFF", districtId: `D-${u}-ANA`, firstName: "Ana", lastName: "Li", email: `ana.${u}@example.org` });
    // A record a person already merged into another: its district ID leads to the one kept.
    const kept = await createPerson(prisma, { kind: "STAFF", districtId: `D-${u}-KEPT`, firstName: "Kim", lastName: "Ode", email: `kim.${u}@example.org` });
    const mergedAway = await createPerson(prisma, { kind: "STAFF", districtId: `D-${u}-OLD`, firstName: "Kim", lastName: "Ode", email: null, mergedIntoId: kept.id });
    const knownBefore = await prisma.person.findMany({ where: { id: { in: [joseph.id, maria.id, luis.id, ana.id, kept.id, mergedAway.id] } }, orderBy: { id: "asc" } });

    const text = csv([
      "First Name,Last Name,Employee ID,Email",
      `José,Núñez,D-${u}-A,jose.other.${u}@example.org`,
      `MARIA,GARCIA,,MARIA.${u}@EXAMPLE.ORG`,
      `Luis,Pérez,,luis.${u}@example.org`,
      `Ana,Li,D-${u}-NEW,ana.${u}@example.org`,
      `Kim,Ode,D-${u}-OLD,`,
    ]);
    const { csvText, mapping, preview } = await uploadAndPreview(ctx, text);
    expect(mapping).toEqual(["first_name", "last_name", "district_id", "email"]);
    expect(outcomes(preview.data)).toEqual({ 2: "matched", 3: "review", 4: "review", 5: "new", 6: "matched" });
    const rows = rowsByLine(preview.data);
    expect(rows.get(2)?.label).toBe(`Matched: Joseph Nunes (D-${u}-A)`);
    expect(rows.get(3)?.candidates.map((c) => c.value)).toEqual([`person:${maria.id}`, "new"]);
    expect(rows.get(4)?.candidates.map((c) => c.value)).toEqual([`person:${luis.id}`, "new"]);
    expect(rows.get(6)?.label).toBe(`Matched: Kim Ode (D-${u}-KEPT)`);

    // Without the trainer's choices the commit is refused, naming the lines, and writes nothing.
    const before = await writes();
    const refused = await rosterStep(ctx, { intent: "commit", csvText, mapping });
    expect(refused.status).toBe(400);
    expect(refused.data.stage).toBe("preview");
    expect(String(refused.data.refusal)).toMatch(/^Nothing was imported yet\. Choose "use the existing person" or "create a new person" for lines 3, 4: /);
    // One choice made, one still open: refused again, naming only the open line.
    const halfChosen = await rosterStep(ctx, { intent: "commit", csvText, mapping, choices: { 3: maria.id } });
    expect(halfChosen.status).toBe(400);
    expect(String(halfChosen.data.refusal)).toMatch(/ for line 4: it matches someone by name and email/);
    expect(rowsByLine(halfChosen.data).get(3)?.choice).toBe(`person:${maria.id}`);
    expect(await writes()).toEqual(before);

    // Line 3 is the María already known; line 4 is another Luis Pérez sharing the mailbox.
    const commit = await rosterStep(ctx, { intent: "commit", csvText, mapping, choices: { 3: maria.id, 4: "new" } });
    expect(commit.status, JSON.stringify(commit.data).slice(0, 400)).toBe(200);
    expect(commit.data).toMatchObject({ stage: "done", summary: { added: 5, matched: 3, newPeople: 2, duplicates: 0 } });
    const after = await writes();
    expect(after.people - before.people).toBe(2);
    expect(after.enrollments - before.enrollments).toBe(5);

    const enrolled = (await rosterOf(ctx.sessionId)).map((e) => e.person);
    const ids = new Set(enrolled.map((p) => p.id));
    expect(ids.has(joseph.id) && ids.has(maria.id) && ids.has(kept.id)).toBe(true);
    expect(ids.has(luis.id), "the Luis already known is not enrolled: the trainer said line 4 is someone new").toBe(false);
    expect(ids.has(mergedAway.id), "a merged record is never enrolled; the record kept is").toBe(false);
    expect(ids.has(ana.id)).toBe(false);
    const newLuis = enrolled.find((p) => p.firstName === "Luis");
    expect(newLuis).toMatchObject({ lastName: "Pérez", email: `luis.${u}@example.org`, districtId: null, mergedIntoId: null });
    expect(newLuis?.id).not.toBe(luis.id);
    expect(enrolled.find((p) => p.districtId === `D-${u}-NEW`)).toMatchObject({ firstName: "Ana", lastName: "Li", email: `ana.${u}@example.org` });
    expect(await prisma.person.count({ where: { email: `luis.${u}@example.org` } })).toBe(2);
    // Nothing known was changed or merged: not the names, not the emails, not mergedIntoId.
    expect(await prisma.person.findMany({ where: { id: { in: knownBefore.map((p) => p.id) } }, orderBy: { id: "asc" } })).toEqual(knownBefore);
    expect(await prisma.person.count({ where: { mergedIntoId: { not: null }, id: { not: mergedAway.id }, OR: [{ email: { contains: u } }, { districtId: { contains: u } }] } })).toBe(0);
  });
});

// --- 3. All or nothing --------------------------------------------------------------------

describe("all or nothing", () => {
  const goodFile = (u: string) => csv([
    "First Name,Last Name,Employee ID,Email",
    `José,Núñez,A-${u}-1,jose.${u}@example.org`,
    `María,García,A-${u}-2,maria.${u}@example.org`,
    `Ana,Li,A-${u}-3,ana.${u}@example.org`,
  ]);

  it("a row turned invalid between preview and commit: refused, naming the line, and nothing is written", async () => {
    const ctx = await newSession();
    const u = unique("a");
    const { csvText, mapping, preview } = await uploadAndPreview(ctx, goodFile(u));
    expect(preview.data.counts).toMatchObject({ newPeople: 3, errors: 0 });

    const before = await writes();
    const edited = csvText.replace(`maria.${u}@example.org`, `maria.${u}@@example`);
    const commit = await rosterStep(ctx, { intent: "commit", csvText: edited, mapping });
    expect(commit.status).toBe(400);
    expect(commit.data.refusal).toBe("Nothing was imported: 1 row has an error. Fix the file and try again.");
    expect(commit.data.errorMessages).toEqual([`Line 3: email (column email) "maria.${u}@@example" is not a valid email address`]);
    expect(await writes()).toEqual(before);
    expect(await rosterOf(ctx.sessionId)).toEqual([]);
  });

  it("over capacity without the override: refused and nothing is written", async () => {
    const ctx = await newSession({ capacity: 2 });
    const u = unique("a");
    const { csvText, mapping } = await uploadAndPreview(ctx, goodFile(u));
    const before = await writes();
    const commit = await rosterStep(ctx, { intent: "commit", csvText, mapping });
    expect(commit.status).toBe(409);
    expect(await writes()).toEqual(before);
  });

  it("a failure after people, enrollments and audit events were written inside the commit rolls all of them back", async () => {
    const ctx = await newSession();
    const u = unique("a");
    const { csvText, mapping } = await uploadAndPreview(ctx, goodFile(u));
    const before = await writes();
    fault.after = "enrollPeople";
    try {
      const request = makeRequest(`/sessions/${ctx.sessionId}/roster/import`, { method: "POST", cookie: ctx.trainer.cookie, form: stepForm({ intent: "commit", csvText, mapping }) });
      await expect(importRoute.action({ request, params: { sessionId: ctx.sessionId }, context: {} })).rejects.toThrow(/injected failure after enrolling/);
    } finally {
      fault.after = null;
    }
    // Inside the transaction, 3 people, their 3 memberships, 3 enrollments and their audit events
    // (3 person.create, 3 affiliation.create, 1 roster.add) existed ...
    expect(fault.seen).toEqual({
      people: before.people + 3, enrollments: before.enrollments + 3, attendance: before.attendance, audit: before.audit + 7, affiliations: before.affiliations + 3,
    });
    // ... and none of them outlived the failure.
    expect(await writes()).toEqual(before);
    expect(await prisma.person.count({ where: { districtId: { startsWith: `A-${u}-` } } })).toBe(0);

    // The same file then imports as if nothing had happened.
    const commit = await rosterStep(ctx, { intent: "commit", csvText, mapping });
    expect(commit.data).toMatchObject({ stage: "done", summary: { added: 3, newPeople: 3 } });
  });

  it("an MHFA import failing while recording attendance leaves no people, enrollments, attendance, post-work or audit", async () => {
    const ctx = await newSession({ dayCount: 2 });
    const u = unique("a");
    const text = csv([
      "Learner First Name,Learner Last Name,Learner Email,Course Start Date,Course End Date,Completion Status",
      `José,Núñez,jose.${u}@example.org,11/14/2025,11/15/2025,Completed`,
      `Ana,Li,ana.${u}@example.org,11/14/2025,11/15/2025,In Progress`,
    ]);
    const before = await writes();
    fault.after = "recordAttendance";
    try {
      const request = makeRequest(`/sessions/${ctx.sessionId}/roster/mhfa-import`, { method: "POST", cookie: ctx.trainer.cookie, form: stepForm({ intent: "commit", csvText: text }) });
      await expect(mhfaRoute.action({ request, params: { sessionId: ctx.sessionId }, context: {} })).rejects.toThrow(/injected failure/);
    } finally {
      fault.after = null;
    }
    // Inside the transaction: 2 learners created and enrolled, José present on both days ...
    // An MHFA export names no school: no memberships.
    expect(fault.seen).toEqual({ people: before.people + 2, enrollments: before.enrollments + 2, attendance: before.attendance + 2, audit: before.audit + 2 + 1 + 1, affiliations: before.affiliations });
    // ... and nothing of it outlived the failure.
    expect(await writes()).toEqual(before);
    expect(await prisma.person.count({ where: { email: { in: [`jose.${u}@example.org`, `ana.${u}@example.org`] } } })).toBe(0);
  });
});

// --- 4. Capacity --------------------------------------------------------------------------

describe("capacity", () => {
  it("refuses an import over the session's capacity with a message naming it, and imports on purpose with the override", async () => {
    const ctx = await newSession({ capacity: 3 });
    const u = unique("c");
    const already = await createPerson(prisma, { kind: "STAFF", districtId: `C-${u}-0`, firstName: "Bea", lastName: "Ruiz" });
    await enroll(prisma, { sessionId: ctx.sessionId, personId: already.id });
    const text = csv([
      "First Name,Last Name,Employee ID",
      `Bea,Ruiz,C-${u}-0`, // already on the roster: takes no new seat
      `José,Núñez,C-${u}-1`,
      `María,García,C-${u}-2`,
      `Ana,Li,C-${u}-3`,
    ]);
    const message = `This session holds 3 people and has 1; this import adds 3, 1 over the limit. Tick "over capacity on purpose" to import anyway.`;

    const { csvText, mapping, preview } = await uploadAndPreview(ctx, text);
    expect(preview.status).toBe(200);
    expect(outcomes(preview.data)).toEqual({ 2: "on-roster", 3: "new", 4: "new", 5: "new" });
    expect(preview.data.capacityMessage).toBe(message);

    const before = await writes();
    const refused = await rosterStep(ctx, { intent: "commit", csvText, mapping });
    expect(refused.status).toBe(409);
    expect(refused.data).toMatchObject({ stage: "preview", refusal: message });
    expect(await writes()).toEqual(before);
    expect(await prisma.enrollment.count({ where: { sessionId: ctx.sessionId } })).toBe(1);

    const commit = await rosterStep(ctx, { intent: "commit", csvText, mapping, overrideCapacity: true });
    expect(commit.status, JSON.stringify(commit.data).slice(0, 300)).toBe(200);
    expect(commit.data).toMatchObject({ stage: "done", summary: { added: 3, newPeople: 3, onRoster: 1 } });
    expect(await prisma.enrollment.count({ where: { sessionId: ctx.sessionId } })).toBe(4);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entityId: ctx.sessionId, action: "roster.add" } });
    expect(JSON.parse(audit.details)).toMatchObject({ source: "csv-import", overCapacity: true });
  });

  it("an import that exactly fills the session needs no override", async () => {
    const ctx = await newSession({ capacity: 2 });
    const u = unique("c");
    const { csvText, mapping, preview } = await uploadAndPreview(ctx, csv(["First Name,Last Name,Employee ID", `José,Núñez,F-${u}-1`, `Ana,Li,F-${u}-2`]));
    expect(preview.data.capacityMessage).toBeNull();
    const commit = await rosterStep(ctx, { intent: "commit", csvText, mapping });
    expect(commit.data).toMatchObject({ stage: "done", summary: { added: 2 } });
    expect(await prisma.enrollment.count({ where: { sessionId: ctx.sessionId } })).toBe(2);
  });
});

// --- 5. The column mapping is remembered ----------------------------------------------------

describe("the column mapping", () => {
  it("is remembered per trainer and suggested for the next file with the same headers", async () => {
    const trainer = await signIn("TRAINER");
    const first = await newSession({ trainer });
    const second = await newSession({ trainer });
    const u = unique("p");
    const headers = "Name,Badge,ID,Contact";
    // Guessed from the header names: "Name" is a full name, "ID" a district ID, the rest unknown.
    const guessed: RosterField[] = ["full_name", "ignore", "district_id", "ignore"];
    // This district's file: "Badge" is the district ID, "ID" a row number, "Contact" the email.
    const custom: RosterField[] = ["full_name", "district_id", "ignore", "email"];

    const text1 = csv([headers, `"Núñez, José",B-${u}-1,1,jose.${u}@example.org`, `María García,B-${u}-2,2,maria.${u}@example.org`]);
    const upload1 = await rosterStep(first, { intent: "upload", csvText: text1 });
    expect(suggested(upload1.data)).toEqual(guessed);
    const csvText = String(upload1.data.csvText);
    const preview = await rosterStep(first, { intent: "preview", csvText, mapping: custom });
    expect(preview.status).toBe(200);
    const commit = await rosterStep(first, { intent: "commit", csvText, mapping: custom });
    expect(commit.data).toMatchObject({ stage: "done", summary: { newPeople: 2 } });
    expect(await prisma.person.findUnique({ where: { districtId: `B-${u}-1` } })).toMatchObject({ firstName: "José", lastName: "Núñez", email: `jose.${u}@example.org` });

    // The next file, another session, same headers: the trainer's mapping is offered.
    const text2 = csv([headers, `Ana Li,B-${u}-3,1,ana.${u}@example.org`]);
    const upload2 = await rosterStep(second, { intent: "upload", csvText: text2 });
    expect(suggested(upload2.data)).toEqual(custom);
    // Columns in another order are recognised by name.
    const upload3 = await rosterStep(second, { intent: "upload", csvText: csv(["Contact,ID,Name,Badge", `ana.${u}@example.org,1,Ana Li,B-${u}-3`]) });
    expect(suggested(upload3.data)).toEqual(["email", "ignore", "full_name", "district_id"]);
    // Another trainer still gets the guess.
    const other = await newSession();
    expect(suggested((await rosterStep(other, { intent: "upload", csvText: text2 })).data)).toEqual(guessed);
  });
});

// --- 6. The MHFA platform export -----------------------------------------------------------

describe("the MHFA platform export", () => {
  const HEADER = `"Learner First Name","Learner Last Name","Learner Email","Course Name","Course Start Date","Course End Date","Completion Status"`;

  it("refuses completion for days still to come, or a Course End Date in the future, and writes nothing", async () => {
    const u = unique("f");
    const future = new Date(Date.now() + 7 * 24 * HOUR);
    const text = (end: string) => csv([HEADER, `"Fay","Future","fay.${u}@example.org","YMHFA","11/14/2025","${end}","Completed"`]);
    const before = await writes();

    // The session's only day is a week away: nobody can have completed it yet.
    const upcoming = await newSession({ firstDay: future });
    const early = await mhfaStep(upcoming, { intent: "commit", csvText: text("11/15/2025") });
    expect(early.status).toBe(409);
    expect(String(early.data.refusal)).toMatch(/has not started yet/);

    // A past session, but the file says the course ended next week.
    const past = await newSession();
    const endIso = future.toISOString().slice(0, 10);
    const wrongEnd = await mhfaStep(past, { intent: "commit", csvText: text(endIso) });
    expect(wrongEnd.status).toBe(409);
    expect(String(wrongEnd.data.refusal)).toContain(`Line 2: Course End Date: ${endIso} is in the future`);
    expect(await writes()).toEqual(before);
  });

  it("reconciles learners, records completion for Completed learners only, and re-importing is harmless", async () => {
    const ctx = await newSession({ dayCount: 2 });
    const u = unique("h");
    const renee = await createPerson(prisma, { kind: "STAFF", districtId: `H-${u}-R`, firstName: "Renée", lastName: "Dubois", email: `renee.${u}@example.org` });
    const text = csv([
      HEADER,
      `"José","Núñez","Jose.Nunez.${u}@Example.org","YMHFA, blended","11/14/2025","11/15/2025","Completed"`,
      `"Renee","DUBOIS","RENEE.${u}@example.org","YMHFA, blended","2025-11-14","2025-11-16","Completed"`,
      `"Ana","Li","ana.${u}@example.org","YMHFA, blended","11/14/2025","","In Progress"`,
      `"Bo","Chen","bo.${u}@example.org","YMHFA, blended","11/14/2025","","Not Started"`,
    ]);
    const days = await prisma.sessionDay.findMany({ where: { sessionId: ctx.sessionId }, orderBy: { startsAt: "asc" } });
    expect(days).toHaveLength(2);

    // The export as downloaded (saved by Excel: a byte-order mark); later steps carry its text.
    const preview = await mhfaStep(ctx, { intent: "preview", bytes: utf8(text, true) });
    expect(preview.status, JSON.stringify(preview.data).slice(0, 400)).toBe(200);
    expect(preview.data.csvText).toBe(text);
    expect(preview.data).toMatchObject({ stage: "preview", dayCount: 2, completed: 2, errorMessages: [] });
    expect(outcomes(preview.data)).toEqual({ 2: "new", 3: "review", 4: "new", 5: "new" });
    expect(rowsByLine(preview.data).get(3)?.candidates.map((c) => c.value)).toEqual([`person:${renee.id}`, "new"]);

    const before = await writes();
    const refused = await mhfaStep(ctx, { intent: "commit", csvText: text });
    expect(refused.status).toBe(400);
    expect(String(refused.data.refusal)).toMatch(/ for line 3: it matches someone by name and email/);
    expect(await writes()).toEqual(before);

    const commit = await mhfaStep(ctx, { intent: "commit", csvText: text, choices: { 3: renee.id } });
    expect(commit.status, JSON.stringify(commit.data).slice(0, 400)).toBe(200);
    expect(commit.data).toMatchObject({ stage: "done", completed: 2, dayCount: 2, summary: { added: 4, matched: 1, newPeople: 3 } });
    const after = await writes();
    expect(after.people - before.people).toBe(3);
    expect(after.enrollments - before.enrollments).toBe(4);
    expect(after.attendance - before.attendance).toBe(2 * 2);

    const roster = await rosterOf(ctx.sessionId);
    const entry = (email: string) => roster.find((e) => e.person.email === email);
    const jose = entry(`jose.nunez.${u}@example.org`);
    expect(jose?.person).toMatchObject({ firstName: "José", lastName: "Núñez", districtId: null, kind: "STAFF" });
    expect(entry(`renee.${u}@example.org`)?.person.id).toBe(renee.id);
    expect(await prisma.person.findUniqueOrThrow({ where: { id: renee.id } })).toMatchObject({ firstName: "Renée", lastName: "Dubois" });
    const presentEveryDay = (e: (typeof roster)[number] | undefined) => {
      expect(e?.attendance.map((a) => [a.sessionDayId, a.status, a.method])).toEqual(
        [...days].sort((a, b) => a.id.localeCompare(b.id)).map((d) => [d.id, "PRESENT", "IMPORT"]),
      );
    };
    presentEveryDay(jose);
    presentEveryDay(entry(`renee.${u}@example.org`));
    expect(jose?.postWorkCompletedOn?.toISOString()).toBe("2025-11-15T00:00:00.000Z");
    expect(entry(`renee.${u}@example.org`)?.postWorkCompletedOn?.toISOString()).toBe("2025-11-16T00:00:00.000Z");
    for (const email of [`ana.${u}@example.org`, `bo.${u}@example.org`]) {
      expect(entry(email)?.attendance, `${email} is enrolled only`).toEqual([]);
      expect(entry(email)?.postWorkCompletedOn).toBeNull();
    }
    const audit = await prisma.auditEvent.findMany({ where: { entityId: ctx.sessionId } });
    expect(audit.map((a) => a.action).sort()).toEqual(["attendance.record", "enrollment.steps", "roster.add"]);
    expect(JSON.parse(audit.find((a) => a.action === "attendance.record")?.details ?? "{}")).toMatchObject({ method: "IMPORT" });
    expect(JSON.parse(audit.find((a) => a.action === "roster.add")?.details ?? "{}")).toMatchObject({ source: "mhfa-import" });

    // The same file again. Every learner is on this roster, by name + email: each is recognised as
    // the person on the roster (no question asked), counted as such, and committing writes nothing new.
    const snapshot = await writes();
    const again = await mhfaStep(ctx, { intent: "preview", csvText: text });
    expect(outcomes(again.data)).toEqual({ 2: "on-roster", 3: "on-roster", 4: "on-roster", 5: "on-roster" });
    expect(again.data.counts).toMatchObject({ onRoster: 4, review: 0, unchosen: 0, newPeople: 0, matched: 0 });
    expect(again.data.unchosenMessage).toBeNull();
    const reimport = await mhfaStep(ctx, { intent: "commit", csvText: text });
    expect(reimport.data).toMatchObject({ stage: "done", summary: { added: 0, newPeople: 0, onRoster: 4 } });
    expect(await writes()).toEqual(snapshot);
    expect(await rosterOf(ctx.sessionId)).toEqual(roster);

    // A later export where Ana has completed: her completion is recorded, nothing doubles.
    const later = text.replace(`"ana.${u}@example.org","YMHFA, blended","11/14/2025","","In Progress"`, `"ana.${u}@example.org","YMHFA, blended","11/14/2025","11/20/2025","Completed"`);
    expect(later).not.toBe(text);
    const laterCommit = await mhfaStep(ctx, { intent: "commit", csvText: later });
    expect(laterCommit.data).toMatchObject({ stage: "done", completed: 3, summary: { added: 0, newPeople: 0 } });
    const final = await writes();
    expect(final.people).toBe(snapshot.people);
    expect(final.enrollments).toBe(snapshot.enrollments);
    expect(final.attendance - snapshot.attendance).toBe(2);
    const ana = (await rosterOf(ctx.sessionId)).find((e) => e.person.email === `ana.${u}@example.org`);
    presentEveryDay(ana);
    expect(ana?.postWorkCompletedOn?.toISOString()).toBe("2025-11-20T00:00:00.000Z");
  });
});

// --- 7. Re-importing a roster file ----------------------------------------------------------

describe("re-importing the same roster file", () => {
  it("a district export imported twice: the second time everyone is already on the roster", async () => {
    const ctx = await newSession();
    const u = unique("r");
    const text = csv(["Employee ID,First Name,Last Name,Email", `R-${u}-1,José,Núñez,jose.${u}@example.org`, `R-${u}-2,María,García,`]);
    const first = await uploadAndPreview(ctx, text);
    expect((await rosterStep(ctx, { intent: "commit", csvText: first.csvText, mapping: first.mapping })).data).toMatchObject({ stage: "done", summary: { added: 2 } });
    const snapshot = await writes();

    const second = await uploadAndPreview(ctx, text);
    expect(outcomes(second.preview.data)).toEqual({ 2: "on-roster", 3: "on-roster" });
    const commit = await rosterStep(ctx, { intent: "commit", csvText: second.csvText, mapping: second.mapping });
    expect(commit.data).toMatchObject({ stage: "done", summary: { added: 0, newPeople: 0, onRoster: 2 } });
    expect(await writes()).toEqual(snapshot);
    expect(await prisma.enrollment.count({ where: { sessionId: ctx.sessionId } })).toBe(2);
  });

  it("the same new people imported into two sessions at once are created once and enrolled in both", async () => {
    const a = await newSession();
    const b = await newSession({ trainer: a.trainer });
    const u = unique("c");
    const text = csv(["Employee ID,First Name,Last Name,Email", `C-${u}-1,Ines,Ortega,ines.${u}@example.org`, `C-${u}-2,Omar,Haddad,`]);
    const [pa, pb] = await Promise.all([uploadAndPreview(a, text), uploadAndPreview(b, text)]);
    // Both previews were made before either commit: each plans to create the two people.
    const commits = await Promise.all([
      rosterStep(a, { intent: "commit", csvText: pa.csvText, mapping: pa.mapping }),
      rosterStep(b, { intent: "commit", csvText: pb.csvText, mapping: pb.mapping }),
    ]);
    for (const c of commits) expect(c.data, JSON.stringify(c.data).slice(0, 300)).toMatchObject({ stage: "done", summary: { added: 2 } });
    expect(commits.map((c) => record(c.data.summary).newPeople).sort()).toEqual([0, 2]);
    expect(await prisma.person.count({ where: { districtId: { in: [`C-${u}-1`, `C-${u}-2`] } } })).toBe(2);
    for (const ctx of [a, b]) expect(await prisma.enrollment.count({ where: { sessionId: ctx.sessionId } })).toBe(2);
  });

  it("rows without a district ID are suggested, not doubled: the second import adds no one", async () => {
    const ctx = await newSession();
    const u = unique("r");
    const text = csv([
      "First Name,Last Name,Employee ID,Email,Type",
      `José,Núñez,R-${u}-1,jose.${u}@example.org,Staff`,
      `Renée,Dubois,,renee.${u}@example.org,Community partner`,
      `Zoë,Ng${u},,,Student`,
    ]);
    const first = await uploadAndPreview(ctx, text);
    expect(outcomes(first.preview.data)).toEqual({ 2: "new", 3: "new", 4: "new" });
    expect((await rosterStep(ctx, { intent: "commit", csvText: first.csvText, mapping: first.mapping })).data).toMatchObject({ stage: "done", summary: { added: 3 } });
    const roster = await rosterOf(ctx.sessionId);
    expect(roster.map((e) => e.person.kind).sort()).toEqual(["COMMUNITY", "STAFF", "STUDENT"]);
    const snapshot = await writes();

    const second = await uploadAndPreview(ctx, text);
    expect(outcomes(second.preview.data)).toEqual({ 2: "on-roster", 3: "review", 4: "review" });
    const choices: Record<number, string> = {};
    for (const line of [3, 4]) {
      const row = rowsByLine(second.preview.data).get(line);
      expect(row?.candidates[0].label).toMatch(/\(already on this roster\)$/);
      choices[line] = String(row?.candidates[0].value).replace(/^person:/, "");
    }
    // Committing without choosing is refused; choosing the people on the roster adds no one.
    const refused = await rosterStep(ctx, { intent: "commit", csvText: second.csvText, mapping: second.mapping });
    expect(refused.status).toBe(400);
    expect(String(refused.data.refusal)).toMatch(/ for lines 3, 4: /);
    const commit = await rosterStep(ctx, { intent: "commit", csvText: second.csvText, mapping: second.mapping, choices });
    expect(commit.data).toMatchObject({ stage: "done", summary: { added: 0, newPeople: 0, onRoster: 3 } });
    expect(await writes()).toEqual(snapshot);
    expect(await rosterOf(ctx.sessionId)).toEqual(roster);
  });
});

describe("the same person twice in one file, once with and once without a district ID", () => {
  /*
   * Two lines with the same name and email, one with an employee ID and one without (a district
   * export pasted together with a sign-up sheet), must not both become new people. The line
   * without an ID is an error naming the line with the ID: it may be the same person (remove the
   * line) or another one (give them their own ID). Nothing is merged silently.
   */
  it("is flagged in the preview instead of becoming two new people", async () => {
    const ctx = await newSession();
    const u = unique("b");
    for (const lines of [
      [`José,Núñez,B-${u}-1,jose.${u}@example.org`, `José,Núñez,,jose.${u}@example.org`],
      [`Ana,Li,,ana.${u}@example.org`, `Ana,Li,B-${u}-2,ana.${u}@example.org`],
    ]) {
      const { preview } = await uploadAndPreview(ctx, csv(["First Name,Last Name,Employee ID,Email", ...lines]));
      // The line without an ID is an error naming the line with the ID: the trainer says which it is.
      expect(preview.status).toBe(400);
      expect(Object.values(outcomes(preview.data))).not.toEqual(["new", "new"]);
      const noIdLine = lines[0].includes(",,") ? 2 : 3;
      const idLine = noIdLine === 2 ? 3 : 2;
      expect(preview.data.errorMessages).toEqual([expect.stringMatching(new RegExp(`^Line ${noIdLine}: .* is also on line ${idLine} with district ID "B-${u}-\\d"`))]);
    }
  });
});
