/**
 * Instructor certifications and each trainer's standing (issue 14; the rules are in
 * app/domain/instructor-standing.ts, docs/decisions/023-instructors.md). A trainer is a person; their
 * account (User.personId) is what sessions name as lead or co-trainer.
 */
import { prisma } from "~/db.server";
import { lockForTransaction } from "~/db/dialect.server";
import { getEnv } from "~/env.server";
import {
  checkInstructorCertificationDates, decidingCertification, EXPIRING_SOON_DAYS, INSTRUCTOR_STATUS_FILTERS, instructorStanding,
  isInstructorStatusFilter, type InstructorStanding, type InstructorStatus, type InstructorStatusFilter,
} from "~/domain/instructor-standing";

export { INSTRUCTOR_STATUS_FILTERS, type InstructorStatusFilter };
import { addDays, isCurrentOn, startOfDayUtc } from "~/domain/program-rules";
import type { RoleName } from "~/domain/roles";
import { dateInZone } from "~/domain/time";
import type { RecordInstructorCertificationForm } from "~/forms/instructor-certification";
import { recordAudit } from "~/models/audit.server";
import { maskPerson, visiblePersonSelect, type ShownPerson, type VisibilityViewer } from "~/models/people-visibility.server";

const programSelect = { id: true, code: true, name: true, instructorCoursesPerYear: true, instructorNeedsCertificate: true } as const;

/** The person's instructor certifications, every program, oldest first. */
export function instructorCertificationsOf(personId: string) {
  return prisma.instructorCertification.findMany({
    where: { personId },
    orderBy: [{ issuedOn: "asc" }, { createdAt: "asc" }],
    select: {
      id: true, personId: true, programId: true, issuedOn: true, expiresOn: true, source: true, evidenceNote: true, createdAt: true,
      program: { select: programSelect },
    },
  });
}

export type InstructorCertificationRow = Awaited<ReturnType<typeof instructorCertificationsOf>>[number];

/** The district's calendar date of an instant, as a UTC-midnight day (app/domain's dates). */
function districtDate(instant: Date, timeZone: string): Date {
  return new Date(`${dateInZone(instant, timeZone)}T00:00:00Z`);
}

/**
 * The courses the person taught in a program: closed sessions of it where their account was lead or
 * co-trainer, each with its last day's district date (the day it counts on).
 */
export async function coursesTaught(personId: string, programId: string, timeZone = getEnv().DISTRICT_TIME_ZONE) {
  const sessions = await prisma.trainingSession.findMany({
    where: { programId, status: "CLOSED", trainers: { some: { user: { personId } } } },
    select: {
      id: true, title: true, siteName: true,
      program: { select: { code: true, name: true } },
      school: { select: { name: true } },
      days: { select: { startsAt: true }, orderBy: { startsAt: "desc" }, take: 1 },
      trainers: { where: { user: { personId } }, select: { role: true } },
    },
  });
  return sessions
    .filter((s) => s.days.length > 0)
    .map((s) => ({
      id: s.id,
      title: s.title,
      siteName: s.siteName,
      schoolName: s.school?.name ?? null,
      programName: s.program.name,
      role: s.trainers[0]?.role ?? "CO",
      lastDay: districtDate(s.days[0].startsAt, timeZone),
    }))
    .sort((a, b) => b.lastDay.getTime() - a.lastDay.getTime() || a.id.localeCompare(b.id));
}

/** The days (district dates, UTC midnight) the person's courses in the program count on, newest first. */
export async function coursesTaughtDays(personId: string, programId: string, timeZone = getEnv().DISTRICT_TIME_ZONE): Promise<Date[]> {
  return (await coursesTaught(personId, programId, timeZone)).map((c) => c.lastDay);
}

// ---- recording ----

/** Bad input only the database can tell (an unknown program, a merged record, a duplicate): names its field. */
export class InstructorCertificationError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** Who may record instructor certifications and see every instructor's standing. */
export const INSTRUCTOR_RECORD_ROLES: RoleName[] = ["ADMIN", "PROGRAM_LEAD"];

/** Today's calendar date in the district ("YYYY-MM-DD"). */
export function districtToday(now = new Date(), timeZone = getEnv().DISTRICT_TIME_ZONE): string {
  return dateInZone(now, timeZone);
}

/** The programs an instructor certification may license: every active one, by name. */
export function listInstructorPrograms() {
  return prisma.program.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: programSelect });
}

/**
 * Records one instructor certification from already-checked values (the form's, or an import row's):
 * the program must exist and be active, the person must exist and not be merged away, and the same
 * certification (person, program, issue date) is recorded once; the check and the write run under one
 * per-person lock. Audited as "instructor-certification.record". Throws InstructorCertificationError
 * (naming the field) and writes nothing on bad input.
 */
export async function recordInstructorCertification(args: {
  personId: string;
  programId: string;
  issuedOn: Date;
  expiresOn: Date | null;
  source: string | null;
  evidenceNote: string | null;
  actorId: string | null;
}): Promise<{ id: string }> {
  const { personId, programId, actorId } = args;
  const issuedOn = startOfDayUtc(args.issuedOn);
  const expiresOn = args.expiresOn ? startOfDayUtc(args.expiresOn) : null;
  if (expiresOn && expiresOn <= issuedOn) throw new InstructorCertificationError("expiresOn", "Expires on: must be after the issue date");
  return prisma.$transaction(async (tx) => {
    const program = await tx.program.findUnique({ where: { id: programId }, select: { id: true, active: true } });
    if (!program) throw new InstructorCertificationError("programId", "Program: choose a program from the list");
    if (!program.active) throw new InstructorCertificationError("programId", "Program: this program is retired; choose an active one");
    const person = await tx.person.findUnique({ where: { id: personId }, select: { id: true, mergedIntoId: true } });
    if (!person) throw new InstructorCertificationError("form", "This person no longer exists");
    if (person.mergedIntoId) throw new InstructorCertificationError("form", "This record was merged into another: record the certification on that record");
    await lockForTransaction(tx, `instructor-certifications:${personId}`);
    const same = await tx.instructorCertification.findFirst({ where: { personId, programId, issuedOn }, select: { id: true } });
    if (same) throw new InstructorCertificationError("issuedOn", `Issued on: this instructor certification (issued ${isoDay(issuedOn)}) is already recorded`);
    const cert = await tx.instructorCertification.create({
      data: { personId, programId, issuedOn, expiresOn, source: args.source || null, evidenceNote: args.evidenceNote || null, recordedById: actorId },
      select: { id: true },
    });
    await recordAudit(tx, {
      actorId, action: "instructor-certification.record", entityType: "InstructorCertification", entityId: cert.id,
      details: {
        personId, programId, issuedOn: isoDay(issuedOn), expiresOn: expiresOn ? isoDay(expiresOn) : null,
        source: args.source || null, evidenceNote: args.evidenceNote || null,
      },
    });
    return cert;
  });
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The form's values: the dates checked against the district's today, then recorded. */
export async function recordInstructorCertificationFromForm(args: {
  personId: string;
  form: RecordInstructorCertificationForm;
  actorId: string;
  now?: Date;
}): Promise<{ id: string }> {
  const dates = checkInstructorCertificationDates({ issuedOn: args.form.issuedOn, expiresOn: args.form.expiresOn, today: districtToday(args.now) });
  if (!dates.ok) throw new InstructorCertificationError(dates.field, dates.message);
  return recordInstructorCertification({
    personId: args.personId, programId: args.form.programId, issuedOn: dates.issuedOn, expiresOn: dates.expiresOn,
    source: args.form.source, evidenceNote: args.form.evidenceNote || null, actorId: args.actorId,
  });
}

// ---- standing ----

export type ProgramStanding = {
  program: { id: string; code: string; name: string; instructorCoursesPerYear: number | null; instructorNeedsCertificate: boolean };
  /** The certification that decides it (decidingCertification). */
  certificationId: string;
  issuedOn: Date;
  standing: InstructorStanding;
};

/**
 * Of these people, who holds a certificate of each of these programs current on `today` (issued, not
 * expired, not revoked; one on a record merged into them counts): keys "personId|programId". For the
 * programs whose instructors must hold one (Program.instructorNeedsCertificate).
 */
export async function currentCertificateHolders(personIds: readonly string[], programIds: readonly string[], today: Date): Promise<Set<string>> {
  if (personIds.length === 0 || programIds.length === 0) return new Set();
  const rows = await prisma.certification.findMany({
    where: {
      programId: { in: [...programIds] }, revokedAt: null, issuedOn: { lte: today },
      OR: [{ expiresOn: null }, { expiresOn: { gt: today } }],
      person: { OR: [{ id: { in: [...personIds] } }, { mergedIntoId: { in: [...personIds] } }] },
    },
    select: { programId: true, personId: true, person: { select: { mergedIntoId: true } } },
  });
  return new Set(rows.map((c) => `${c.person.mergedIntoId ?? c.personId}|${c.programId}`));
}

/** The programs among these whose instructors must hold a current certificate of them. */
function needingCertificate(programs: ReadonlyArray<{ id: string; instructorNeedsCertificate: boolean }>): string[] {
  return [...new Set(programs.filter((p) => p.instructorNeedsCertificate).map((p) => p.id))];
}

/** The standing per program from the person's certifications and the days their courses count on. */
function standingsFrom(
  certifications: ReadonlyArray<Pick<InstructorCertificationRow, "id" | "issuedOn" | "expiresOn" | "program">>,
  courseDaysOf: (programId: string) => readonly Date[],
  /** Whether they hold a current certificate of the program: consulted only where the program asks it. */
  holdsCertificate: (programId: string) => boolean,
  today: Date,
): ProgramStanding[] {
  const byProgram = new Map<string, Array<(typeof certifications)[number]>>();
  for (const c of certifications) byProgram.set(c.program.id, [...(byProgram.get(c.program.id) ?? []), c]);
  const standings: ProgramStanding[] = [];
  for (const certs of byProgram.values()) {
    const deciding = decidingCertification(certs, today);
    if (!deciding) continue;
    standings.push({
      program: deciding.program,
      certificationId: deciding.id,
      issuedOn: deciding.issuedOn,
      standing: instructorStanding({
        certification: deciding, coursesRequired: deciding.program.instructorCoursesPerYear,
        courseDays: courseDaysOf(deciding.program.id), asOf: today,
        holdsCurrentCertificate: deciding.program.instructorNeedsCertificate ? holdsCertificate(deciding.program.id) : null,
      }),
    });
  }
  return standings.sort((a, b) => a.program.name.localeCompare(b.program.name));
}

/** The district's today as a UTC-midnight day. */
function districtDay(now: Date, timeZone: string): Date {
  return new Date(`${dateInZone(now, timeZone)}T00:00:00Z`);
}

/** The person's instructor certifications, each with the standing of its program (for the person page). */
export async function instructorCertificationsWithStatus(personId: string, now = new Date(), timeZone = getEnv().DISTRICT_TIME_ZONE) {
  const today = districtDay(now, timeZone);
  const certifications = await instructorCertificationsOf(personId);
  return certifications
    .map((c) => {
      const current = isCurrentOn(c, today);
      const expiresOn = c.expiresOn ? startOfDayUtc(c.expiresOn) : null;
      return {
        ...c,
        current,
        expiringSoon: current && expiresOn !== null && expiresOn <= addDays(today, EXPIRING_SOON_DAYS),
        notYet: startOfDayUtc(c.issuedOn) > today,
      };
    })
    .sort((a, b) => a.program.name.localeCompare(b.program.name) || b.issuedOn.getTime() - a.issuedOn.getTime());
}

/**
 * One trainer's standing page: the person (a 404 when the viewer may not see them: a trainer sees only
 * their own; leads and administrators anyone), their certifications, and per program the standing with
 * the courses taught this certification year.
 */
export async function getInstructorStanding(viewer: VisibilityViewer, personId: string, now = new Date(), timeZone = getEnv().DISTRICT_TIME_ZONE) {
  const own = viewer.personId !== null && viewer.personId === personId;
  if (!own && !INSTRUCTOR_RECORD_ROLES.includes(viewer.role)) return null;
  const person = await prisma.person.findFirst({ where: { id: personId, mergedIntoId: null }, select: visiblePersonSelect });
  if (!person) return null;
  const shown = maskPerson(viewer, person, { via: "directory" }, now);
  if (shown.hidden) return null;
  const today = districtDay(now, timeZone);
  const certifications = await instructorCertificationsWithStatus(personId, now, timeZone);
  const programIds = [...new Set(certifications.map((c) => c.program.id))];
  const courses = new Map(await Promise.all(programIds.map(async (id) => [id, await coursesTaught(personId, id, timeZone)] as const)));
  const holders = await currentCertificateHolders([personId], needingCertificate(certifications.map((c) => c.program)), today);
  const standings = standingsFrom(certifications, (id) => (courses.get(id) ?? []).map((c) => c.lastDay), (id) => holders.has(`${personId}|${id}`), today).map((s) => ({
    ...s,
    coursesThisYear: (courses.get(s.program.id) ?? []).filter((c) => c.lastDay >= s.standing.year.startsOn && c.lastDay < s.standing.year.endsOn),
  }));
  const account = await prisma.user.findUnique({ where: { personId }, select: { id: true, name: true, role: true } });
  return { person: shown, own, account, certifications, standings, today };
}

export type InstructorStandingRow = {
  person: ShownPerson;
  hasAccount: boolean;
} & ProgramStanding;

/**
 * Every instructor's standing, one row per (person, program), for program leads and administrators:
 * people with at least one instructor certification, masked like any people list (a hidden person is
 * a count only). Sorted by status (expired, short, current), then name.
 */
export async function listInstructorStandings(
  viewer: VisibilityViewer,
  filters: { programId?: string; status?: InstructorStatusFilter } = {},
  now = new Date(),
  timeZone = getEnv().DISTRICT_TIME_ZONE,
): Promise<{ rows: InstructorStandingRow[]; hiddenCount: number }> {
  if (!INSTRUCTOR_RECORD_ROLES.includes(viewer.role)) return { rows: [], hiddenCount: 0 };
  const today = districtDay(now, timeZone);
  const certifications = await prisma.instructorCertification.findMany({
    where: { person: { mergedIntoId: null }, ...(filters.programId ? { programId: filters.programId } : {}) },
    select: {
      id: true, issuedOn: true, expiresOn: true, program: { select: programSelect },
      person: { select: { ...visiblePersonSelect, user: { select: { id: true } } } },
    },
  });
  const personIds = [...new Set(certifications.map((c) => c.person.id))];
  const programIds = [...new Set(certifications.map((c) => c.program.id))];
  // Every closed course of these programs that one of these people led or co-led, in one query.
  const sessions = personIds.length === 0 ? [] : await prisma.trainingSession.findMany({
    where: { status: "CLOSED", programId: { in: programIds }, trainers: { some: { user: { personId: { in: personIds } } } } },
    select: {
      programId: true,
      days: { select: { startsAt: true }, orderBy: { startsAt: "desc" }, take: 1 },
      trainers: { select: { user: { select: { personId: true } } } },
    },
  });
  const days = new Map<string, Date[]>();
  for (const s of sessions) {
    const last = s.days[0];
    if (!last) continue;
    for (const t of s.trainers) {
      if (!t.user.personId) continue;
      const key = `${t.user.personId}|${s.programId}`;
      days.set(key, [...(days.get(key) ?? []), districtDate(last.startsAt, timeZone)]);
    }
  }
  const holders = await currentCertificateHolders(personIds, needingCertificate(certifications.map((c) => c.program)), today);
  const byPerson = new Map<string, typeof certifications>();
  for (const c of certifications) byPerson.set(c.person.id, [...(byPerson.get(c.person.id) ?? []), c]);
  const rows: InstructorStandingRow[] = [];
  let hiddenCount = 0;
  for (const certs of byPerson.values()) {
    const shown = maskPerson(viewer, certs[0].person, { via: "directory" }, now);
    if (shown.hidden) {
      hiddenCount += 1;
      continue;
    }
    const holds = (programId: string) => holders.has(`${shown.id}|${programId}`);
    for (const s of standingsFrom(certs, (programId) => days.get(`${shown.id}|${programId}`) ?? [], holds, today)) {
      if (!matchesStatus(s.standing, filters.status)) continue;
      rows.push({ person: shown, hasAccount: certs[0].person.user !== null, ...s });
    }
  }
  const order: Record<InstructorStatus, number> = { expired: 0, "needs-certificate": 1, short: 2, current: 3 };
  rows.sort((a, b) =>
    order[a.standing.status] - order[b.standing.status]
    || a.person.lastName.localeCompare(b.person.lastName) || a.person.firstName.localeCompare(b.person.firstName)
    || a.program.name.localeCompare(b.program.name));
  return { rows, hiddenCount };
}

function matchesStatus(standing: InstructorStanding, status: InstructorStatusFilter | undefined): boolean {
  if (!status) return true;
  if (status === "expiring-soon") return standing.expiringSoon;
  return standing.status === status;
}

// ---- CSV ----

export const INSTRUCTOR_CSV_HEADER = [
  "Last name", "First name", "District ID", "Program", "Status", "Certification issued", "Certification expires",
  "Certification year starts", "Certification year ends", "Courses taught this year", "Courses required", "Courses still needed", "Needed by",
];

/** The standings table as CSV rows (one chunk: instructors number in the hundreds, not the thousands). */
export async function* instructorStandingsForExport(
  viewer: VisibilityViewer,
  filters: { programId?: string; status?: InstructorStatusFilter } = {},
  now = new Date(),
): AsyncGenerator<string[][]> {
  const { rows } = await listInstructorStandings(viewer, filters, now);
  yield rows.map((r) => [
    r.person.lastName, r.person.firstName, r.person.districtId ?? "", r.program.name, instructorStatusWords(r.standing, r.program.code),
    isoDay(r.issuedOn), r.standing.expiresOn ? isoDay(r.standing.expiresOn) : "never",
    isoDay(r.standing.year.startsOn), isoDay(r.standing.neededBy), String(r.standing.coursesTaught),
    r.standing.coursesRequired === null ? "" : String(r.standing.coursesRequired),
    r.standing.coursesRequired === null ? "" : String(r.standing.coursesNeeded),
    r.standing.coursesRequired === null ? "" : isoDay(r.standing.neededBy),
  ]);
}

/** "Short: needs 2 more by Jun 30, 2027", "Expired on Mar 1, 2026", "No current YMHFA certificate of their own", "Current". */
export function instructorStatusWords(standing: InstructorStanding, programCode: string): string {
  if (standing.status === "expired") return standing.expiresOn ? `Expired on ${dayWords(standing.expiresOn)}` : "Not in force";
  if (standing.status === "needs-certificate") return `No current ${programCode} certificate of their own`;
  if (standing.status === "short") return `Short: needs ${standing.coursesNeeded} more by ${dayWords(standing.neededBy)}`;
  return standing.expiringSoon && standing.expiresOn ? `Current; expires ${dayWords(standing.expiresOn)}` : "Current";
}

const dayWords = (d: Date) => d.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });

// ---- trainer accounts ----

/**
 * Links an account to its person (a trainer's account to the person their instructor certifications
 * belong to), found by district ID or email; an empty value unlinks. A person already linked to another
 * account is refused (User.personId is unique: the database refuses a second link made at the same
 * moment too). Audited as "user.link-person".
 */
export async function linkAccountToPerson(args: { userId: string; personKey: string; actorId: string }): Promise<{ personId: string | null }> {
  const key = args.personKey.trim();
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: args.userId }, select: { id: true, personId: true } });
    if (!user) throw new InstructorCertificationError("form", "This account no longer exists");
    if (key === "") {
      if (user.personId === null) return { personId: null };
      await tx.user.update({ where: { id: user.id }, data: { personId: null } });
      await recordAudit(tx, { actorId: args.actorId, action: "user.link-person", entityType: "User", entityId: user.id, details: { personId: null, previousPersonId: user.personId } });
      return { personId: null };
    }
    const matches = await tx.person.findMany({
      where: { mergedIntoId: null, OR: [{ districtId: key }, { email: { equals: key.toLowerCase() } }, { email: key }] },
      select: { id: true, firstName: true, lastName: true, user: { select: { id: true, name: true } } },
      take: 3,
    });
    if (matches.length === 0) throw new InstructorCertificationError("personKey", `Person: no one has the district ID or email “${key}”`);
    if (matches.length > 1) throw new InstructorCertificationError("personKey", `Person: more than one person has the email “${key}”; give their district ID`);
    const person = matches[0];
    if (person.user && person.user.id !== user.id) {
      throw new InstructorCertificationError("personKey", `Person: ${person.firstName} ${person.lastName} is already linked to the account of ${person.user.name}`);
    }
    if (user.personId === person.id) return { personId: person.id };
    try {
      await tx.user.update({ where: { id: user.id }, data: { personId: person.id } });
    } catch (error) {
      if (isUniqueViolation(error)) throw new InstructorCertificationError("personKey", `Person: ${person.firstName} ${person.lastName} is already linked to another account`);
      throw error;
    }
    await recordAudit(tx, { actorId: args.actorId, action: "user.link-person", entityType: "User", entityId: user.id, details: { personId: person.id, previousPersonId: user.personId } });
    return { personId: person.id };
  });
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}

// ---- the standings table's filters ----

export type InstructorFilters = { programId?: string; status?: InstructorStatusFilter };

/**
 * The table's filters from the query string (?program=<id>&status=short): an unknown program or status
 * is an error naming its field, never silently ignored.
 */
export async function parseInstructorFilters(search: URLSearchParams): Promise<
  { ok: true; filters: InstructorFilters; values: { program: string; status: string } } | { ok: false; errors: Record<string, string>; values: { program: string; status: string } }
> {
  const values = { program: (search.get("program") ?? "").trim(), status: (search.get("status") ?? "").trim() };
  const errors: Record<string, string> = {};
  const filters: InstructorFilters = {};
  if (values.program) {
    const program = values.program.length <= 64 ? await prisma.program.findUnique({ where: { id: values.program }, select: { id: true } }) : null;
    if (program) filters.programId = program.id;
    else errors.program = "Program: choose a program from the list";
  }
  if (values.status) {
    if (isInstructorStatusFilter(values.status)) filters.status = values.status;
    else errors.status = `Status: choose one of ${INSTRUCTOR_STATUS_FILTERS.map((f) => f.label.toLowerCase()).join(", ")}`;
  }
  return Object.keys(errors).length ? { ok: false, errors, values } : { ok: true, filters, values };
}

/** Programs with at least one instructor certification, for the program filter. */
export function listProgramsWithInstructors() {
  return prisma.program.findMany({ where: { instructorCertifications: { some: {} } }, orderBy: { name: "asc" }, select: programSelect });
}
