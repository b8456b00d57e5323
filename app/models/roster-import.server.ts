import { prisma } from "~/db.server";
import { jsonList, jsonTable, lockForTransaction, refreshPlannerStatistics } from "~/db/dialect.server";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";
import { enrollPeople, recordAttendance, RosterError, sessionDayLock, sessionSeatsLock } from "~/models/enrollment.server";
import type { MailTransport } from "~/models/mail.server";
import { relayAfterCommit } from "~/models/session-mail.server";
import { parseCsv, type CsvTable } from "~/utils/csv.server";
import { getEnv } from "~/env.server";
import { dateInZone } from "~/domain/time";
import { completionDateRefusal } from "~/domain/session-day";
import { canSeePerson } from "~/domain/person-visibility";
import { factsOf, sessionFacts, sessionFactsSelect, type VisibilityViewer } from "~/models/people-visibility.server";
import {
  capacityProblem, countPlans, delimiterProblem, mappingToSave, nameKey, parseSavedMapping, planRows, resolution, unchosenMessage,
  type CheckedPersonRow, type ColumnMapping, type ImportCounts, type ImportSummary, type KnownPerson, type Lookups, type MhfaRow,
  type PersonInput, type PersonKindName, type PlanOptions, type RosterField, type RosterRow, type RowChoice, type RowPlan,
  isPersonKind,
} from "~/domain/roster-import";
import {
  absentConflicts, absentUnchosenMessage, courseOutsideSession, daysToMarkPresent,
  type AbsentChoice, type AbsentConflict, type SessionDate,
} from "~/domain/mhfa-import";
import { decideMembership, matchSchool, type NamedSchool, type SchoolRef } from "~/domain/membership-from-work";
import { schoolYearOf } from "~/domain/school-year";

type Db = Prisma.TransactionClient;

/**
 * A roster file's text as a table, or the file-level problem: not comma-separated, not CSV,
 * or no data rows. Row-level problems come later, from the domain's checks.
 */
export function parseRosterFile(text: string): ({ ok: true } & CsvTable) | { ok: false; error: string } {
  const delimiter = delimiterProblem(text);
  if (delimiter) return { ok: false, error: delimiter };
  const table = parseCsv(text);
  if (!table.ok) return table;
  if (table.rows.length === 0) return { ok: false, error: "Line 1 is the header row and the file has no data rows below it." };
  return table;
}

const personSummary = { id: true, districtId: true, firstName: true, lastName: true, email: true, kind: true } as const;

// recordAttendance filters with `in: [ids]` beside another condition, which Prisma refuses
// past 999 values: it is called once per slice, inside the same transaction.
const ID_LIST_CHUNK = 900;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The session as an import sees it: whether it is open, its seat limit, its days and its roster. */
async function loadSession(db: Db, sessionId: string) {
  const session = await db.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      ...sessionFactsSelect,
      id: true, status: true, capacity: true, audience: true,
      school: { select: { id: true, code: true, name: true } },
      program: { select: { maxParticipants: true } },
      days: { orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true } },
      enrollments: { select: { id: true, personId: true, postWorkCompletedOn: true, person: { select: personSummary } } },
    },
  });
  return { ...session, seatLimit: session.capacity ?? session.program.maxParticipants };
}

type LoadedSession = Awaited<ReturnType<typeof loadSession>>;

type PersonRow = { id: string; districtId: string | null; firstName: string; lastName: string; email: string | null; kind: string; mergedIntoId: string | null };

/**
 * People whose column holds one of the values, in one statement. The values travel as one
 * JSON parameter: Prisma's `in: [...]` binds one parameter per value, is refused past 999 of
 * them beside another condition, and took about 2 s for 10,000 district IDs where this takes
 * about 0.2 s (see scripts/bench/roster-import.ts).
 */
// kind is cast to text: a PostgreSQL enum would otherwise come back as a type the adapter leaves unnamed.
const PERSON_ROW = Prisma.sql`"id", "districtId", "firstName", "lastName", "email", CAST("kind" AS TEXT) AS "kind", "mergedIntoId"`;

async function peopleWhereIn(db: Db, column: "districtId" | "email", values: string[]): Promise<PersonRow[]> {
  if (values.length === 0) return [];
  return column === "districtId"
    ? db.$queryRaw<PersonRow[]>`SELECT ${PERSON_ROW} FROM "Person" WHERE "districtId" IN ${jsonList(values)}`
    : db.$queryRaw<PersonRow[]>`SELECT ${PERSON_ROW} FROM "Person" WHERE "mergedIntoId" IS NULL AND "email" IN ${jsonList(values)}`;
}

/**
 * Everything the file's rows may match, in a few queries whatever the file's size: every
 * district ID at once, every email at once, and the session's roster (loaded with the session).
 */
async function lookupPeople(db: Db, session: LoadedSession, people: PersonInput[], viewer: VisibilityViewer): Promise<Lookups> {
  const enrolledIds = new Set(session.enrollments.map((e) => e.personId));
  const districtIds = [...new Set(people.map((p) => p.districtId).filter((id): id is string => id !== null))];
  const emails = [...new Set(people.map((p) => p.email).filter((e): e is string => e !== null))];
  const [withIds, withEmails] = [await peopleWhereIn(db, "districtId", districtIds), await peopleWhereIn(db, "email", emails)];

  // Who the viewer may match: those on this roster, and whoever a roster search would find
  // for this session (person-visibility); anyone else is never offered, by ID or by email.
  const affiliations = await affiliationsOf(db, [...withIds, ...withEmails].filter((p) => p.kind === "STUDENT").map((p) => p.id));
  const seen = { via: "search" as const, session: sessionFacts(session) };
  const visible = (p: { id: string; kind: string }) =>
    enrolledIds.has(p.id) || !isPersonKind(p.kind) || canSeePerson(viewer, factsOf({ id: p.id, kind: p.kind, affiliations: affiliations.get(p.id) ?? [] }), seen);
  const hiddenDistrictIds = new Set<string>();
  const known = (p: PersonRow | (Omit<PersonRow, "mergedIntoId"> & { mergedIntoId?: null })): KnownPerson[] =>
    isPersonKind(p.kind) && visible(p)
      ? [{ id: p.id, districtId: p.districtId, firstName: p.firstName, lastName: p.lastName, email: p.email, kind: p.kind, enrolled: enrolledIds.has(p.id) }]
      : [];

  // A merged record's district ID leads to the record it was merged into.
  const survivorIds = [...new Set(withIds.flatMap((p) => (p.mergedIntoId ? [p.mergedIntoId] : [])))];
  const survivors = new Map<string, KnownPerson>();
  for (const part of chunks(survivorIds, 500)) {
    for (const s of await db.person.findMany({ where: { id: { in: part } }, select: personSummary })) {
      for (const k of known(s)) survivors.set(k.id, k);
    }
  }
  const byDistrictId = new Map<string, KnownPerson>();
  for (const p of withIds) {
    if (!p.districtId) continue;
    const person = p.mergedIntoId ? survivors.get(p.mergedIntoId) : known(p)[0];
    if (person) byDistrictId.set(p.districtId, person);
    else hiddenDistrictIds.add(p.districtId);
  }

  const byEmail = new Map<string, KnownPerson[]>();
  for (const p of withEmails) {
    if (p.email) byEmail.set(p.email, [...(byEmail.get(p.email) ?? []), ...known(p)]);
  }

  const enrolledByName = new Map<string, KnownPerson[]>();
  for (const e of session.enrollments) {
    const key = nameKey(e.person.firstName, e.person.lastName);
    enrolledByName.set(key, [...(enrolledByName.get(key) ?? []), ...known(e.person)]);
  }
  return { byDistrictId, byEmail, enrolledByName, hiddenDistrictIds };
}

/** The affiliations of these people (one statement, the ids as one JSON parameter, as peopleWhereIn). */
async function affiliationsOf(db: Db, personIds: string[]): Promise<Map<string, Array<{ schoolId: string; schoolYear: number }>>> {
  const out = new Map<string, Array<{ schoolId: string; schoolYear: number }>>();
  if (personIds.length === 0) return out;
  const rows = await db.$queryRaw<Array<{ personId: string; schoolId: string; schoolYear: number | bigint }>>`
    SELECT "personId", "schoolId", "schoolYear" FROM "Affiliation" WHERE "personId" IN ${jsonList([...new Set(personIds)])}`;
  for (const r of rows) out.set(r.personId, [...(out.get(r.personId) ?? []), { schoolId: r.schoolId, schoolYear: Number(r.schoolYear) }]);
  return out;
}

export type PlannedRow<R extends CheckedPersonRow = CheckedPersonRow> = R & { plan: RowPlan };

/** A membership an import adds for a row's person (app/domain/membership-from-work.ts). */
export type PlannedMembership = { schoolId: string; schoolName: string; schoolYear: number };

export type ImportPreview<R extends CheckedPersonRow = CheckedPersonRow> = {
  rows: Array<PlannedRow<R>>;
  /** By line: the membership the commit adds (roster files only). */
  memberships: Map<number, PlannedMembership>;
  counts: ImportCounts;
  session: { open: boolean; seatLimit: number | null; enrolled: number; dayCount: number };
  /** Over the seat limit: needs "over capacity on purpose". */
  capacityMessage: string | null;
  /** Rows still waiting for the trainer's choice. */
  unchosenMessage: string | null;
};

/**
 * The schools a roster file names, matched by code or name: a name that matches no school (or
 * two) turns its row into an error naming the line, the column and the value. Every other row
 * carries what the file said: a school, or the default (a blank cell, or no school column).
 */
async function schoolsOfRows<R extends RosterRow>(db: Db, rows: R[]): Promise<{ rows: R[]; options: MembershipOptions }> {
  const named = new Map<number, NamedSchool>();
  const names = new Map<string, string>();
  const columns = new Map<number, string>();
  if (!rows.some((r) => r.school)) return { rows, options: { named, schoolNames: names, columns } };
  // Every school, once: a district has about a thousand, and a file may name any of them.
  const schools: SchoolRef[] = await db.school.findMany({ select: { id: true, code: true, name: true } });
  const matched = new Map<string, ReturnType<typeof matchSchool>>();
  const out = rows.map((row) => {
    if (!row.school) return row;
    const key = row.school.text.toLowerCase();
    const match = matched.get(key) ?? matchSchool(row.school.text, schools);
    matched.set(key, match);
    if ("problem" in match) {
      return { ...row, person: null, duplicateOfLine: null, errors: [...row.errors, `Line ${row.line}: school (column ${row.school.column}) ${match.problem}`] };
    }
    named.set(row.line, { use: "school", schoolId: match.school.id });
    names.set(match.school.id, match.school.name);
    columns.set(row.line, row.school.column);
    return row;
  });
  return { rows: out, options: { named, schoolNames: names, columns } };
}

/** Who of these people has a membership in the school year (one statement, as peopleWhereIn). */
async function peopleWithMembershipIn(db: Db, personIds: string[], schoolYear: number): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db.$queryRaw<Array<{ personId: string }>>`
    SELECT DISTINCT "personId" FROM "Affiliation" WHERE "schoolYear" = ${schoolYear} AND "personId" IN ${jsonList([...new Set(personIds)])}`;
  return new Set(rows.map((r) => r.personId));
}

/**
 * The membership each row's person gets (memberships come with being added: rows already on the
 * roster keep what they have). A refusal (a trainer naming another school for a student) turns
 * the row into an error. The school year is that of the session's first day in the district.
 */
async function planMemberships<R extends CheckedPersonRow>(
  db: Db, session: LoadedSession, planned: Array<PlannedRow<R>>, options: MembershipOptions, viewer: VisibilityViewer,
): Promise<{ rows: Array<PlannedRow<R>>; memberships: Map<number, PlannedMembership> }> {
  const memberships = new Map<number, PlannedMembership>();
  const first = session.days[0];
  const day = first ? new Date(`${dateInZone(first.startsAt, getEnv().DISTRICT_TIME_ZONE)}T00:00:00Z`) : null;
  const year = day ? schoolYearOf(day) : null;
  const existingIds = planned.flatMap((row) => {
    const r = row.plan.status === "duplicate" ? null : resolution(row.plan);
    return r && "existing" in r && !r.existing.enrolled ? [r.existing.id] : [];
  });
  const withMembership = year === null ? new Set<string>() : await peopleWithMembershipIn(db, existingIds, year);
  const schoolNames = new Map(options.schoolNames);
  if (session.school) schoolNames.set(session.school.id, session.school.name);
  const rows = planned.map((row): PlannedRow<R> => {
    const r = row.plan.status === "duplicate" ? null : resolution(row.plan);
    if (!r || !row.person) return row;
    if ("existing" in r && r.existing.enrolled) return row;
    const kind = "existing" in r ? r.existing.kind : row.person.kind;
    const decision = decideMembership({
      sessionSchoolId: session.schoolId, day, kind, named: options.named.get(row.line) ?? { use: "default" },
      hasMembershipThatYear: "existing" in r && withMembership.has(r.existing.id), mayPlaceStudentsAnywhere: viewer.role === "ADMIN",
    });
    if ("refused" in decision) {
      const column = options.columns.get(row.line);
      return { ...row, plan: { status: "error", errors: [`Line ${row.line}: school${column ? ` (column ${column})` : ""}: ${decision.refused}`] } };
    }
    if (decision.add) {
      memberships.set(row.line, { schoolId: decision.add.schoolId, schoolName: schoolNames.get(decision.add.schoolId) ?? "", schoolYear: decision.add.schoolYear });
    }
    return row;
  });
  return { rows, memberships };
}

/** Roster files give memberships; an MHFA export names no school and gives none. */
type MembershipOptions = {
  /** By line: the school the file names; lines not here take the default. */
  named: Map<number, NamedSchool>;
  schoolNames: Map<string, string>;
  /** By line: the file's school column, for messages. */
  columns: Map<number, string>;
};

async function plan<R extends CheckedPersonRow>(
  db: Db, sessionId: string, rows: R[], choices: Map<number, RowChoice>, viewer: VisibilityViewer, membershipOptions?: MembershipOptions,
  planOptions: PlanOptions = {},
) {
  const session = await loadSession(db, sessionId);
  const people = rows.flatMap((r) => (r.person && r.duplicateOfLine === null ? [r.person] : []));
  const lookups = await lookupPeople(db, session, people, viewer);
  let planned = planRows(rows, lookups, choices, planOptions);
  let memberships = new Map<number, PlannedMembership>();
  if (membershipOptions) {
    ({ rows: planned, memberships } = await planMemberships(db, session, planned, membershipOptions, viewer));
  }
  const counts = countPlans(planned.map((r) => r.plan));
  const preview: ImportPreview<R> = {
    rows: planned,
    memberships,
    counts,
    session: { open: session.status === "SCHEDULED", seatLimit: session.seatLimit, enrolled: session.enrollments.length, dayCount: session.days.length },
    capacityMessage: capacityProblem(session.seatLimit, session.enrollments.length, counts.toAdd),
    unchosenMessage: unchosenMessage(planned),
  };
  return { session, preview };
}

/** What an import would do, row by row, as the viewer may see it. Reads only. */
export async function previewImport<R extends CheckedPersonRow>(
  sessionId: string, rows: R[], choices: Map<number, RowChoice>, viewer: VisibilityViewer,
): Promise<ImportPreview<R>> {
  return (await plan(prisma, sessionId, rows, choices, viewer)).preview;
}

/** What a roster file's import would do, memberships included. Reads only. */
export async function previewRosterImport(
  sessionId: string, rows: RosterRow[], choices: Map<number, RowChoice>, viewer: VisibilityViewer,
): Promise<ImportPreview<RosterRow>> {
  const schools = await schoolsOfRows(prisma, rows);
  return (await plan(prisma, sessionId, schools.rows, choices, viewer, schools.options)).preview;
}

/**
 * Creates the new people of an import, each audited as createPerson audits one ("person.create").
 * One INSERT per table for the whole file, the rows travelling as one JSON parameter: through
 * Prisma's createMany, 10,000 people and their audit events took about 6 s on the bench
 * machine, this about 0.3 s. District IDs were looked up in this same transaction, so none is
 * taken (and the unique index would refuse it). The time is bound as a parameter, so each engine
 * stores it as its adapter stores any other date.
 */
async function createPeople(db: Db, people: PersonInput[], actorId: string | null, source: string): Promise<Map<PersonInput, string>> {
  const ids = new Map<PersonInput, string>();
  if (people.length === 0) return ids;
  const rows = people.map((p) => {
    const id = crypto.randomUUID();
    ids.set(p, id);
    return { id, districtId: p.districtId, firstName: p.firstName, lastName: p.lastName, email: p.email, kind: p.kind };
  });
  const audits = rows.map((r) => ({ id: crypto.randomUUID(), personId: r.id, details: JSON.stringify({ districtId: r.districtId, kind: r.kind, source }) }));
  const now = new Date();
  await db.$executeRaw`
    INSERT INTO "Person" ("id", "districtId", "firstName", "lastName", "email", "kind", "createdAt", "updatedAt")
    SELECT v."id", v."districtId", v."firstName", v."lastName", v."email", v."kind", ${now}, ${now}
    FROM ${jsonTable(rows, { id: "text", districtId: "text", firstName: "text", lastName: "text", email: "text", kind: { enum: "PersonKind" } })} AS v`;
  await insertAuditEvents(db, "person.create", actorId, audits, now);
  return ids;
}

/**
 * Adds the planned memberships, each audited ("affiliation.create", on the person), in one
 * INSERT per table as createPeople does. Raw SQL fires the Affiliation triggers like any write,
 * so the people are queued for the reach rollup (docs/decisions/005-reach-rollups.md).
 */
async function createMemberships(
  db: Db, memberships: Array<{ personId: string; schoolId: string; schoolYear: number }>, actorId: string | null, source: string,
): Promise<number> {
  if (memberships.length === 0) return 0;
  const rows = memberships.map((m) => ({ id: crypto.randomUUID(), ...m }));
  const audits = rows.map((r) => ({ id: crypto.randomUUID(), personId: r.personId, details: JSON.stringify({ schoolId: r.schoolId, schoolYear: r.schoolYear, source }) }));
  await db.$executeRaw`
    INSERT INTO "Affiliation" ("id", "personId", "schoolId", "schoolYear", "title")
    SELECT v."id", v."personId", v."schoolId", v."schoolYear", NULL
    FROM ${jsonTable(rows, { id: "text", personId: "text", schoolId: "text", schoolYear: "integer" })} AS v`;
  await insertAuditEvents(db, "affiliation.create", actorId, audits, new Date());
  return rows.length;
}

/** One audit event per row, each on a person, in one INSERT (the rows as one JSON parameter), with who it is about. */
async function insertAuditEvents(
  db: Db, action: string, actorId: string | null, audits: Array<{ id: string; personId: string; details: string }>, at: Date,
) {
  await db.$executeRaw`
    INSERT INTO "AuditEvent" ("id", "actorId", "action", "entityType", "entityId", "details", "createdAt")
    SELECT v."id", ${actorId}, ${action}, 'Person', v."personId", v."details", ${at}
    FROM ${jsonTable(audits, { id: "text", personId: "text", details: "text" })} AS v`;
  // Each event is about its person (AuditEventPerson, as app/models/audit.server.ts writes for one event).
  await db.$executeRaw`
    INSERT INTO "AuditEventPerson" ("eventId", "personId", "createdAt")
    SELECT v."id", v."personId", ${at}
    FROM ${jsonTable(audits, { id: "text", personId: "text" })} AS v`;
}

export type CommitResult<R extends CheckedPersonRow> =
  | { ok: true; summary: ImportSummary; preview: ImportPreview<R> }
  | { ok: false; reason: "errors" | "review" | "capacity" | "closed" | "not-yet"; message: string; preview: ImportPreview<R> | null };

/** Steps an import adds to commitRows, inside its transaction. */
type CommitHooks<R extends CheckedPersonRow> = {
  /** Before anything is written: a message refuses the commit ("review"), and nothing is written. */
  check?: (tx: Db, session: LoadedSession, preview: ImportPreview<R>) => Promise<string | null>;
  /** Once everyone is enrolled (the MHFA import records attendance and post-work here). */
  after?: (tx: Db, session: LoadedSession, personIdOfLine: Map<number, string>, planned: Array<PlannedRow<R>>) => Promise<void>;
};

const TRANSACTION = { maxWait: 10_000, timeout: 120_000 };
/** Imports run one at a time across the district: two files may both plan to create the same new person. */
const ROSTER_IMPORT_LOCK = "roster-import";

/**
 * Plans the rows again inside one transaction and writes them all, or nothing: any row with
 * an error, any "possible duplicate" without a choice, or too few seats writes nothing.
 * `after` runs in the same transaction once everyone is enrolled (the MHFA import records
 * attendance and post-work there).
 */
async function commitRows<R extends CheckedPersonRow>(
  sessionId: string, rows: R[], choices: Map<number, RowChoice>,
  opts: { overrideCapacity: boolean; actorId: string | null; source: string; viewer: VisibilityViewer; memberships?: MembershipOptions; plan?: PlanOptions },
  hooks: CommitHooks<R> = {},
): Promise<CommitResult<R>> {
  let preview: ImportPreview<R> | null = null;
  try {
    return await prisma.$transaction(async (tx): Promise<CommitResult<R>> => {
      // The plan holds until this commits: which district IDs and emails are known (so whom to create) is
      // read across the district, whoever is on the roster and the seats left per session. Imports take
      // the district-wide lock before the session's, and no other path takes it.
      await lockForTransaction(tx, ROSTER_IMPORT_LOCK);
      await lockForTransaction(tx, sessionSeatsLock(sessionId));
      const planned = await plan(tx, sessionId, rows, choices, opts.viewer, opts.memberships, opts.plan);
      preview = planned.preview;
      const { session } = planned;
      if (!preview.session.open) {
        return { ok: false, reason: "closed", message: "This session is closed or cancelled; reopen it to change the roster.", preview };
      }
      if (preview.counts.errors > 0) {
        return { ok: false, reason: "errors", message: `Nothing was imported: ${preview.counts.errors} ${preview.counts.errors === 1 ? "row has an error" : "rows have errors"}. Fix the file and try again.`, preview };
      }
      if (preview.unchosenMessage) return { ok: false, reason: "review", message: `Nothing was imported yet. ${preview.unchosenMessage}`, preview };
      // Checked here for the whole file, so the message gives the file's numbers; enrollPeople checks again.
      if (preview.capacityMessage && !opts.overrideCapacity) return { ok: false, reason: "capacity", message: preview.capacityMessage, preview };
      const refusal = hooks.check ? await hooks.check(tx, session, preview) : null;
      if (refusal) return { ok: false, reason: "review", message: `Nothing was imported yet. ${refusal}`, preview };

      const toCreate: PersonInput[] = [];
      const personIdOfLine = new Map<number, string>();
      for (const row of preview.rows) {
        const r = resolution(row.plan);
        if (!r) continue;
        if ("existing" in r) personIdOfLine.set(row.line, r.existing.id);
        else if (row.person) toCreate.push(row.person);
      }
      const created = await createPeople(tx, toCreate, opts.actorId, opts.source);
      for (const row of preview.rows) {
        const id = row.person ? created.get(row.person) : undefined;
        if (id) personIdOfLine.set(row.line, id);
      }
      const memberships = [...preview.memberships].flatMap(([line, m]) => {
        const personId = personIdOfLine.get(line);
        return personId ? [{ personId, schoolId: m.schoolId, schoolYear: m.schoolYear }] : [];
      });
      const membershipsAdded = await createMemberships(tx, memberships, opts.actorId, opts.source);
      const { added } = await enrollPeople(sessionId, [...personIdOfLine.values()], { overrideCapacity: opts.overrideCapacity, actorId: opts.actorId, source: opts.source }, tx);
      if (hooks.after) await hooks.after(tx, session, personIdOfLine, preview.rows);
      const c = preview.counts;
      return { ok: true, preview, summary: { added, matched: c.matched, newPeople: created.size, onRoster: c.onRoster, duplicates: c.duplicates, memberships: membershipsAdded } };
    }, TRANSACTION);
  } catch (error) {
    if (error instanceof RosterError && (error.code === "capacity" || error.code === "closed" || error.code === "not-yet")) {
      return { ok: false, reason: error.code, message: error.message, preview };
    }
    throw error;
  }
}

/** Imports a roster file's checked rows, with the memberships they imply. */
export async function commitRosterImport(
  sessionId: string, rows: RosterRow[], choices: Map<number, RowChoice>,
  opts: { overrideCapacity: boolean; actorId: string; viewer: VisibilityViewer; mail?: MailTransport },
) {
  // Schools change rarely: matched before the transaction, and the foreign key checks them inside it.
  const schools = await schoolsOfRows(prisma, rows);
  const { mail, ...rest } = opts;
  const result = await commitRows(sessionId, schools.rows, choices, { ...rest, source: "csv-import", memberships: schools.options });
  // A roster file can add thousands of people and memberships: the planner's statistics follow.
  if (result.ok) await refreshPlannerStatistics(prisma);
  // The invitations were written with the enrollments; sent now that they are committed.
  if (result.ok && result.summary.added > 0) await relayAfterCommit(mail);
  return result;
}

/** What an MHFA export's preview adds to a roster preview (app/domain/mhfa-import.ts). */
export type MhfaReview = {
  /** Lines whose course ran outside the session's days, each message naming the line and the course. */
  outsideSession: Array<{ line: number; message: string }>;
  /** Completed learners the trainer marked absent, with the trainer's choice so far. */
  absentConflicts: AbsentConflict[];
  /** Blocks the commit while an absence has no choice. */
  absentUnchosenMessage: string | null;
  /** On the roster, not in the export. */
  missingFromExport: Array<{ personId: string; name: string; districtId: string | null; email: string | null }>;
};

/** The MHFA export is of this session's course: a learner on its roster is recognised by name and email. */
const MHFA_PLAN: PlanOptions = { rosterByNameAndEmail: true };

const sessionDates = (session: LoadedSession): SessionDate[] => {
  const timeZone = getEnv().DISTRICT_TIME_ZONE;
  return session.days.map((d) => ({ id: d.id, date: dateInZone(d.startsAt, timeZone) }));
};

/** The rows whose learner is marked present by the import: Completed, with an end date, not a repeat. */
const completedRows = (planned: ReadonlyArray<PlannedRow<MhfaRow>>) =>
  planned.filter((r) => r.status === "COMPLETED" && r.endDate && r.plan.status !== "duplicate" && r.plan.status !== "error");

/**
 * The MHFA export's rows against the session: courses on other dates, absences the platform
 * contradicts, and roster members the export leaves out. Read in the caller's transaction at commit.
 */
async function reviewMhfa(db: Db, session: LoadedSession, preview: ImportPreview<MhfaRow>, absentChoices: Map<number, AbsentChoice>): Promise<MhfaReview> {
  const days = sessionDates(session);
  const outsideSession = preview.rows.flatMap((r) => {
    if (r.plan.status === "error" || r.plan.status === "duplicate") return [];
    const message = courseOutsideSession(r, days);
    return message ? [{ line: r.line, message }] : [];
  });

  // Only people already on the roster can have marks: new enrollments have none yet.
  const onRoster = completedRows(preview.rows).flatMap((r) => {
    const res = resolution(r.plan);
    return res && "existing" in res && res.existing.enrolled
      ? [{ line: r.line, personId: res.existing.id, name: `${res.existing.firstName} ${res.existing.lastName}` }]
      : [];
  });
  const absentDayIdsByPerson = new Map<string, Set<string>>();
  if (onRoster.length > 0) {
    const absences = await db.attendance.findMany({
      where: { status: "ABSENT", enrollment: { sessionId: session.id } },
      select: { sessionDayId: true, enrollment: { select: { personId: true } } },
    });
    for (const a of absences) {
      const set = absentDayIdsByPerson.get(a.enrollment.personId) ?? new Set<string>();
      set.add(a.sessionDayId);
      absentDayIdsByPerson.set(a.enrollment.personId, set);
    }
  }
  const conflicts = absentConflicts(onRoster, absentDayIdsByPerson, days, absentChoices);

  // Who the export accounts for: the people its rows resolve to, and anyone a row may still be
  // (a possible duplicate not yet chosen), so nobody is listed as missing who is only undecided.
  const accounted = new Set<string>();
  for (const r of preview.rows) {
    if (r.plan.status === "review") for (const c of r.plan.candidates) accounted.add(c.id);
    const res = r.plan.status === "duplicate" ? null : resolution(r.plan);
    if (res && "existing" in res) accounted.add(res.existing.id);
  }
  const missingFromExport = session.enrollments
    .filter((e) => !accounted.has(e.personId))
    .map((e) => ({ personId: e.personId, name: `${e.person.firstName} ${e.person.lastName}`, districtId: e.person.districtId, email: e.person.email }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { outsideSession, absentConflicts: conflicts, absentUnchosenMessage: absentUnchosenMessage(conflicts), missingFromExport };
}

/** What an MHFA export's import would do, and what it finds against the session. Reads only. */
export async function previewMhfaImport(
  sessionId: string, rows: MhfaRow[], choices: Map<number, RowChoice>, absentChoices: Map<number, AbsentChoice>, viewer: VisibilityViewer,
): Promise<{ preview: ImportPreview<MhfaRow>; review: MhfaReview }> {
  const { session, preview } = await plan(prisma, sessionId, rows, choices, viewer, undefined, MHFA_PLAN);
  return { preview, review: await reviewMhfa(prisma, session, preview, absentChoices) };
}

/**
 * Imports an MHFA platform export: enrolls every learner, then for each "Completed" one
 * marks them present on every session day (method IMPORT) and records post-work done on
 * the course end date. Other statuses are enrolled only; marks already made are kept. An
 * absence the trainer recorded is overwritten only where the trainer chose the platform's
 * word for that line; until every such line has a choice, nothing is written.
 */
export async function commitMhfaImport(
  sessionId: string, rows: MhfaRow[], choices: Map<number, RowChoice>, absentChoices: Map<number, AbsentChoice>,
  opts: { overrideCapacity: boolean; actorId: string; viewer: VisibilityViewer; mail?: MailTransport },
) {
  let review: MhfaReview | null = null;
  const { mail, ...rest } = opts;
  const result = await commitRows(sessionId, rows, choices, { ...rest, source: "mhfa-import", plan: MHFA_PLAN }, {
    check: async (tx, session, preview) => {
      // The absences read here hold until this commits: an attendance sheet saved meanwhile waits
      // (it takes its day's lock; seats before days, as every transaction taking both does).
      for (const d of session.days) await lockForTransaction(tx, sessionDayLock(d.id));
      review = await reviewMhfa(tx, session, preview, absentChoices);
      return review.absentUnchosenMessage;
    },
    after: async (tx, session, personIdOfLine, planned) => {
      const completed = completedRows(planned).filter((r) => personIdOfLine.has(r.line));
      if (completed.length === 0) return;
      // Post-work done on a day still to come is a mistake in the file, as on the attendance sheet.
      const today = dateInZone(new Date(), getEnv().DISTRICT_TIME_ZONE);
      for (const r of completed) {
        const refusal = r.endDate ? completionDateRefusal(`Line ${r.line}: Course End Date`, r.endDate.toISOString().slice(0, 10), today) : null;
        if (refusal) throw new RosterError("not-yet", `Nothing was imported. ${refusal}.`);
      }
      const personIds = completed.map((r) => personIdOfLine.get(r.line) ?? "");
      const enrollments = [];
      for (const part of chunks(personIds, ID_LIST_CHUNK)) {
        enrollments.push(...(await tx.enrollment.findMany({ where: { sessionId, personId: { in: part } }, select: { id: true, personId: true, postWorkCompletedOn: true } })));
      }
      const enrollmentOf = new Map(enrollments.map((e) => [e.personId, e]));
      const conflictOf = new Map((review?.absentConflicts ?? []).map((c) => [c.line, c]));
      const days = sessionDates(session);
      const marks = completed.flatMap((r) => {
        const e = enrollmentOf.get(personIdOfLine.get(r.line) ?? "");
        return e ? daysToMarkPresent(days, conflictOf.get(r.line)).map((d) => ({ enrollmentId: e.id, sessionDayId: d.id, status: "PRESENT" as const })) : [];
      });
      for (const part of chunks(marks, ID_LIST_CHUNK)) await recordAttendance(sessionId, part, { actorId: opts.actorId, method: "IMPORT" }, tx);
      await recordPostWork(tx, sessionId, completed.flatMap((r) => {
        const e = enrollmentOf.get(personIdOfLine.get(r.line) ?? "");
        return e && r.endDate ? [{ enrollment: e, on: r.endDate }] : [];
      }), opts.actorId);
    },
  });
  // Invitations for a session still ahead were written with the enrollments; sent now that they are committed.
  if (result.ok && result.summary.added > 0) await relayAfterCommit(mail);
  return result;
}

/**
 * Post-work done on a date, inside the import's transaction. Does what recordCompletionSteps
 * does (same audit action), which cannot join a caller's transaction.
 */
async function recordPostWork(
  tx: Db, sessionId: string, changes: Array<{ enrollment: { id: string; personId: string; postWorkCompletedOn: Date | null }; on: Date }>, actorId: string,
) {
  const applied: Array<Record<string, unknown>> = [];
  for (const { enrollment, on } of changes) {
    if (enrollment.postWorkCompletedOn?.getTime() === on.getTime()) continue;
    await tx.enrollment.update({ where: { id: enrollment.id }, data: { postWorkCompletedOn: on } });
    applied.push({ personId: enrollment.personId, postWorkCompletedOn: on });
  }
  if (applied.length) {
    await recordAudit(tx, { actorId, action: "enrollment.steps", entityType: "TrainingSession", entityId: sessionId, details: { changes: applied, source: "mhfa-import" } });
  }
}

/** The default kind for people an import creates: the session's audience says who they are. */
export async function importDefaults(sessionId: string) {
  const session = await prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: { id: true, title: true, status: true, audience: true, program: { select: { name: true, code: true } } },
  });
  const defaultKind: PersonKindName = session.audience === "STUDENTS" ? "STUDENT" : session.audience === "COMMUNITY" ? "COMMUNITY" : "STAFF";
  return { session, defaultKind };
}

export async function getSavedRosterMapping(userId: string): Promise<Record<string, RosterField>> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { rosterImportMapping: true } });
  return parseSavedMapping(user?.rosterImportMapping);
}

/** Remembers the mapping for the user's next file; columns of earlier files are kept. */
export async function saveRosterMapping(userId: string, headers: readonly string[], mapping: ColumnMapping) {
  const saved = await getSavedRosterMapping(userId);
  await prisma.user.update({ where: { id: userId }, data: { rosterImportMapping: JSON.stringify(mappingToSave(headers, mapping, saved)) } });
}
