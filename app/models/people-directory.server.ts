/**
 * The people directory (/people) and a person's record page. Who is in scope is decided here: a
 * coordinator, the people with a membership at one of their schools (the list: in the chosen school
 * year, the current one by default; a person's page: in any year, as their school's reach pages
 * name past years' staff). Whose name, district ID and email show is the one visibility rule, seen
 * `{ via: "directory" }` through app/models/people-visibility.server.ts (docs/domain.md, Privacy;
 * docs/decisions/010-person-visibility.md).
 */
import { prisma } from "~/db.server";
import { ignoringCase, isPostgres, jsonList } from "~/db/dialect.server";
import { Prisma } from "~/generated/prisma/client";
import type { RoleName } from "~/domain/roles";
import { schoolYearOf } from "~/domain/school-year";
import { certificationStatus, type CertificationStatus } from "~/domain/program-rules";
import { KIND_OF_WORD, type PeopleSearch } from "~/forms/people-search";
import { listRemindersForPerson } from "~/models/reminders.server";
import { listInstructorRemindersForPerson } from "~/models/instructor-reminders.server";
import {
  maskPerson, shownOnly, visiblePersonSelect, type PersonForVisibility, type ShownPerson, type VisibilityViewer,
} from "~/models/people-visibility.server";

export const DIRECTORY_ROLES: RoleName[] = ["ADMIN", "PROGRAM_LEAD", "COORDINATOR"];
/** Who may revoke a certificate or record one earned elsewhere (app/models/certificate-records.server.ts). */
export const CERTIFICATE_RECORD_ROLES: RoleName[] = ["ADMIN", "PROGRAM_LEAD"];
/** Who may download another person's certificate PDF (the person themselves has /me). */
export const CERTIFICATE_PDF_ROLES: RoleName[] = ["ADMIN", "COORDINATOR"];
export const PEOPLE_PER_PAGE = 50;

const DIRECTORY = { via: "directory" } as const;

/** The schools the viewer may filter by: a coordinator's own, everyone else's all of them. */
export function listDirectorySchools(viewer: VisibilityViewer) {
  return prisma.school.findMany({
    where: viewer.role === "COORDINATOR" ? { id: { in: [...viewer.schoolIds] } } : {},
    orderBy: { name: "asc" },
    select: { id: true, code: true, name: true },
  });
}

const rowSelect = {
  ...visiblePersonSelect,
  mergedIntoId: true,
  affiliations: { select: { schoolId: true, schoolYear: true, title: true, school: { select: { code: true, name: true } } } },
} as const satisfies Prisma.PersonSelect;

export type DirectoryRow = ShownPerson & {
  merged: boolean;
  memberships: Array<{ schoolYear: number; schoolName: string; schoolCode: string; title: string | null }>;
};

export type DirectoryResult =
  | { ok: false; errors: Record<string, string> }
  | {
      ok: true;
      people: DirectoryRow[];
      total: number;
      page: number;
      pageCount: number;
      /** The year the list is scoped to (null: any year). */
      schoolYear: number | null;
      /** Students who match but whom the viewer may not see: counted only when no words were searched (null then). */
      hiddenStudents: number | null;
    };

/** The words of a search that are looked for (the first four). */
const searchWords = (q: string) => q.split(/\s+/).filter(Boolean).slice(0, 4);

/** Text search: a district ID exactly, or every word in the first name, last name or email. */
function textWhere(q: string): Prisma.PersonWhereInput {
  const words = searchWords(q);
  return {
    OR: [
      { districtId: q },
      { AND: words.map((w) => ({ OR: [{ firstName: { contains: w, ...ignoringCase() } }, { lastName: { contains: w, ...ignoringCase() } }, { email: { contains: w, ...ignoringCase() } }] })) },
    ],
  };
}

/**
 * SQLite: the same text search as textWhere, with the rule for merged records, from the trigram index
 * "PersonSearch" (FTS5, kept in step with "Person" by triggers; prisma/migrations/
 * 20261209000200_people_counts_and_search): the rowids of the people whose first name, last name or email
 * contains every word, less merged records, and of whoever's district ID is `q`, for `p.rowid IN (…)`.
 * Matching a word anywhere otherwise reads every person, twice a page (the count and the page: 0.4 s at
 * district scale). The merged rule is in the list, not beside it: an `OR` on "mergedIntoId" there lets the
 * planner (without statistics) read every unmerged person from its index instead of the list.
 * Null when the index cannot answer: a word under three characters (a trigram index holds none),
 * PostgreSQL, which has no such index here and scans, or an index that does not hold every person.
 */
async function indexedTextMatch(q: string): Promise<Prisma.Sql | null> {
  if (isPostgres()) return null;
  const words = searchWords(q);
  if (words.some((w) => [...w].length < 3)) return null;
  // A loader that writes people with the triggers dropped (the bench's data set builder does, for speed)
  // leaves the index short until it is rebuilt: searching it would miss people, so scan instead. Two bare
  // counts of whole tables, which SQLite answers from page headers (not as subqueries of one statement).
  const [[indexed], [people]] = await Promise.all([
    prisma.$queryRaw<Array<{ count: number | bigint }>>`SELECT COUNT(*) AS "count" FROM "PersonSearch_docsize"`,
    prisma.$queryRaw<Array<{ count: number | bigint }>>`SELECT COUNT(*) AS "count" FROM "Person"`,
  ]);
  if (Number(indexed.count) !== Number(people.count)) return null;
  // Each word a quoted phrase (a substring, under the trigram tokenizer), all of them required.
  const match = words.map((w) => `"${w.replaceAll('"', '""')}"`).join(" AND ");
  return Prisma.sql`(
    SELECT rowid FROM "PersonSearch" WHERE "PersonSearch" MATCH ${match}
    EXCEPT SELECT rowid FROM "Person" WHERE "mergedIntoId" IS NOT NULL
    UNION SELECT rowid FROM "Person" WHERE "districtId" = ${q})`;
}

type Scope = { schoolId: string | null; schoolYear: number | null; coordinator: boolean };

/**
 * One page of the directory as the viewer may see it. Administrators see everyone; program leads
 * staff and partners, with students as a count; coordinators the people with a membership at
 * their schools in the year, students only those the rule lets them see. Hidden students are
 * counted only for a listing by filters: for searched words they are dropped, so a search never
 * tells whether a particular student exists. Merged records are left out (their survivor shows),
 * except when their own district ID is searched.
 */
export async function searchDirectory(viewer: VisibilityViewer, search: PeopleSearch, now = new Date()): Promise<DirectoryResult> {
  // The route's guard refuses other roles; this keeps the scoping below from ever meeting one.
  if (!DIRECTORY_ROLES.includes(viewer.role)) throw new Error(`The people directory is not open to ${viewer.role}`);
  const coordinator = viewer.role === "COORDINATOR";
  const schoolYear = search.schoolYear ?? (coordinator ? schoolYearOf(now) : null);

  let schoolId: string | null = null;
  if (search.schoolCode) {
    const school = await prisma.school.findUnique({ where: { code: search.schoolCode }, select: { id: true } });
    if (!school) return { ok: false, errors: { school: `School: there is no school with code "${search.schoolCode}"` } };
    if (coordinator && !viewer.schoolIds.includes(school.id)) {
      return { ok: false, errors: { school: `School: "${search.schoolCode}" is not one of your schools` } };
    }
    schoolId = school.id;
  }

  const scope: Scope = { schoolId, schoolYear, coordinator };
  const match = search.q ? await indexedTextMatch(search.q) : null;
  const found = match ? await findByIndex(viewer, search, scope, match, now) : await findByFilters(viewer, search, scope, now);
  const { total, page, rows, hiddenStudents } = found;
  const pageCount = Math.max(1, Math.ceil(total / PEOPLE_PER_PAGE));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const people = shownOnly(viewer, rows, DIRECTORY, now).flatMap((p): DirectoryRow[] => {
    const row = byId.get(p.id);
    if (!row) return [];
    // The chosen year's memberships; with any year, the latest year's.
    const year = schoolYear ?? Math.max(...row.affiliations.map((a) => a.schoolYear));
    const memberships = row.affiliations
      .filter((a) => a.schoolYear === year)
      .map((a) => ({ schoolYear: a.schoolYear, schoolName: a.school.name, schoolCode: a.school.code, title: a.title }));
    return [{ ...p, merged: row.mergedIntoId !== null, memberships }];
  });
  return { ok: true, people, total, page, pageCount, schoolYear, hiddenStudents: search.q ? null : hiddenStudents };
}

type DirectoryPersonRow = Prisma.PersonGetPayload<{ select: typeof rowSelect }>;
type Found = { total: number; page: number; rows: DirectoryPersonRow[]; hiddenStudents: number };

/** The page a request asks for, within the pages there are. */
const pageWithin = (asked: number, total: number) => Math.min(asked, Math.max(1, Math.ceil(total / PEOPLE_PER_PAGE)));

/** The search as Prisma filters: listings without words, words the index cannot answer, and PostgreSQL. */
async function findByFilters(viewer: VisibilityViewer, search: PeopleSearch, scope: Scope, now: Date): Promise<Found> {
  const membership: Prisma.AffiliationWhereInput = {
    ...(scope.schoolId ? { schoolId: scope.schoolId } : scope.coordinator ? { schoolId: { in: [...viewer.schoolIds] } } : {}),
    ...(scope.schoolYear !== null ? { schoolYear: scope.schoolYear } : {}),
  };
  const filters: Prisma.PersonWhereInput[] = [];
  if (Object.keys(membership).length > 0) filters.push({ affiliations: { some: membership } });
  if (search.kind) filters.push({ kind: KIND_OF_WORD[search.kind] });
  if (search.q) filters.push(textWhere(search.q), { OR: [{ mergedIntoId: null }, { districtId: search.q }] });
  else filters.push({ mergedIntoId: null });
  const matching: Prisma.PersonWhereInput = { AND: filters };
  const students: Prisma.PersonWhereInput = { AND: [matching, { kind: "STUDENT" }] };

  let shownWhere: Prisma.PersonWhereInput = matching;
  let hiddenStudents = 0;
  if (viewer.role === "PROGRAM_LEAD") {
    shownWhere = { AND: [matching, { kind: { not: "STUDENT" } }] };
    // Shown only for a listing without words.
    if (!search.q) hiddenStudents = await prisma.person.count({ where: students });
  } else if (viewer.role !== "ADMIN") {
    // Students in scope are bounded by the coordinator's schools' enrolment for a year: the rule
    // (a student's current school, which a where clause cannot express) decides each of them.
    // The hidden ones (students who have since moved to another school) are few, so they are what the page query excludes.
    const candidates = await prisma.person.findMany({ where: students, select: visiblePersonSelect });
    const hidden = hiddenOf(viewer, candidates, now);
    hiddenStudents = hidden.length;
    if (hidden.length > 0) shownWhere = { AND: [matching, { id: { notIn: hidden } }] };
  }

  const total = await prisma.person.count({ where: shownWhere });
  const page = pageWithin(search.page, total);
  const rows = await prisma.person.findMany({
    where: shownWhere,
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }, { id: "asc" }],
    skip: (page - 1) * PEOPLE_PER_PAGE,
    take: PEOPLE_PER_PAGE,
    select: rowSelect,
  });
  return { total, page, rows, hiddenStudents };
}

/** The ids of the students the rule hides from the viewer, among those a search found. */
function hiddenOf(viewer: VisibilityViewer, candidates: PersonForVisibility[], now: Date): string[] {
  const visible = new Set(shownOnly(viewer, candidates, DIRECTORY, now).map((p) => p.id));
  return candidates.filter((c) => !visible.has(c.id)).map((c) => c.id);
}

/** Rows fetched by id in slices that stay under the engine's bound-value limit. */
async function inSlices<T>(ids: readonly string[], fetch: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < ids.length; i += 500) rows.push(...(await fetch(ids.slice(i, i + 500))));
  return rows;
}

/**
 * The search with words, in SQL, driven from the people the trigram index finds (indexedTextMatch): the
 * same filters and visibility as findByFilters, which the tests run on both paths.
 */
async function findByIndex(viewer: VisibilityViewer, search: PeopleSearch, scope: Scope, match: Prisma.Sql, now: Date): Promise<Found> {
  const membership: Prisma.Sql[] = [];
  if (scope.schoolId) membership.push(Prisma.sql`a."schoolId" = ${scope.schoolId}`);
  else if (scope.coordinator) membership.push(viewer.schoolIds.length > 0 ? Prisma.sql`a."schoolId" IN (${Prisma.join(viewer.schoolIds)})` : Prisma.sql`1 = 0`);
  if (scope.schoolYear !== null) membership.push(Prisma.sql`a."schoolYear" = ${scope.schoolYear}`);
  const matching: Prisma.Sql[] = [Prisma.sql`p.rowid IN ${match}`];
  if (membership.length > 0) matching.push(Prisma.sql`EXISTS (SELECT 1 FROM "Affiliation" a WHERE a."personId" = p."id" AND ${Prisma.join(membership, " AND ")})`);
  if (search.kind) matching.push(Prisma.sql`p."kind" = ${KIND_OF_WORD[search.kind]}`);

  const shown = [...matching];
  if (viewer.role === "PROGRAM_LEAD") shown.push(Prisma.sql`p."kind" <> 'STUDENT'`);
  else if (viewer.role !== "ADMIN") {
    // As in findByFilters: the rule decides each student in scope, and the few it hides are left out.
    const candidateIds = await prisma.$queryRaw<Array<{ id: string }>>`
      SELECT p."id" AS "id" FROM "Person" p WHERE ${Prisma.join(matching, " AND ")} AND p."kind" = 'STUDENT'`;
    const candidates = await inSlices(candidateIds.map((c) => c.id), (slice) => prisma.person.findMany({ where: { id: { in: slice } }, select: visiblePersonSelect }));
    const hidden = hiddenOf(viewer, candidates, now);
    if (hidden.length > 0) shown.push(Prisma.sql`p."id" NOT IN ${jsonList(hidden)}`);
  }
  const where = Prisma.join(shown, " AND ");
  // With no filter but the words, the list is the answer: counted without reading each person (10 ms, not 50, for 42,000).
  const [counted] = shown.length === 1
    ? await prisma.$queryRaw<Array<{ total: number | bigint }>>`SELECT COUNT(*) AS "total" FROM ${match} AS m`
    : await prisma.$queryRaw<Array<{ total: number | bigint }>>`SELECT COUNT(*) AS "total" FROM "Person" p WHERE ${where}`;
  const total = Number(counted.total);
  const page = pageWithin(search.page, total);
  const ids = await prisma.$queryRaw<Array<{ id: string }>>`
    SELECT p."id" AS "id" FROM "Person" p WHERE ${where}
    ORDER BY p."lastName" ASC, p."firstName" ASC, p."id" ASC
    LIMIT ${PEOPLE_PER_PAGE} OFFSET ${(page - 1) * PEOPLE_PER_PAGE}`;
  const found = await inSlices(ids.map((r) => r.id), (slice) => prisma.person.findMany({ where: { id: { in: slice } }, select: rowSelect }));
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = ids.flatMap((r) => {
    const row = byId.get(r.id);
    return row ? [row] : [];
  });
  // Hidden students are shown only for a listing without words, which never comes here.
  return { total, page, rows, hiddenStudents: 0 };
}

/**
 * The person as the viewer may see them, or null: unknown, outside a coordinator's schools, or
 * hidden by the rule (a student the viewer does not work with) all give the same answer.
 */
async function personInDirectory(viewer: VisibilityViewer, personId: string, now: Date) {
  if (!DIRECTORY_ROLES.includes(viewer.role)) return null;
  const person = await prisma.person.findUnique({ where: { id: personId }, select: { ...rowSelect, createdAt: true } });
  if (!person) return null;
  if (viewer.role === "COORDINATOR" && !person.affiliations.some((a) => viewer.schoolIds.includes(a.schoolId))) return null;
  const shown = maskPerson(viewer, person, DIRECTORY, now);
  if (shown.hidden) return null;
  return { shown, person };
}

/** For the certificate PDF route: may the viewer open this person's record? */
export async function canOpenPerson(viewer: VisibilityViewer, personId: string, now = new Date()): Promise<boolean> {
  return (await personInDirectory(viewer, personId, now)) !== null;
}

export type CertificateStatusWords = { status: CertificationStatus; label: string };

/** A certificate's status as the person page and the certificate page name it. */
export const STATUS_LABELS: Record<CertificationStatus, string> = {
  active: "Current",
  "renewal-window": "Expiring: renewal window open",
  expired: "Expired",
  renewed: "Renewed",
  "not-yet-issued": "Not yet issued",
  revoked: "Revoked",
};

/**
 * Everything about one person the viewer may see, or null (the page is then a 404). Reminders are for
 * administrators only; the page's history is app/models/audit-trail.server.ts.
 */
export async function getPersonRecord(viewer: VisibilityViewer, personId: string, now = new Date()) {
  const found = await personInDirectory(viewer, personId, now);
  if (!found) return null;
  const { shown, person } = found;
  const admin = viewer.role === "ADMIN";

  const mergedFrom = await prisma.person.findMany({ where: { mergedIntoId: person.id }, select: visiblePersonSelect, orderBy: { createdAt: "asc" } });
  // A merge moves nothing: the records merged into this one keep their sessions and certificates, shown here as this person's.
  const recordIds = [personId, ...mergedFrom.map((p) => p.id)];
  const [mergedInto, enrollments, certifications, reminders, instructorReminders] = await Promise.all([
    person.mergedIntoId ? prisma.person.findUnique({ where: { id: person.mergedIntoId }, select: visiblePersonSelect }) : null,
    prisma.enrollment.findMany({
      where: { personId: { in: recordIds } },
      take: 200,
      select: {
        id: true, postWorkCompletedOn: true, evaluationCompletedOn: true,
        attendance: { select: { status: true } },
        session: {
          select: {
            id: true, title: true, status: true,
            program: { select: { name: true, requiresPostWork: true, requiresEvaluation: true } },
            days: { orderBy: { startsAt: "asc" }, select: { startsAt: true } },
            certifications: { where: { personId: { in: recordIds }, revokedAt: null }, select: { id: true } },
          },
        },
      },
    }),
    prisma.certification.findMany({
      where: { personId: { in: recordIds } },
      orderBy: [{ issuedOn: "desc" }],
      take: 200,
      select: {
        id: true, issuedOn: true, expiresOn: true, renewedById: true, revokedAt: true, revokedReason: true, source: true,
        program: { select: { id: true, name: true, renewalWindowDays: true } },
        session: { select: { id: true, title: true } },
        renewedBy: { select: { id: true, issuedOn: true } },
        renews: { select: { id: true, issuedOn: true } },
      },
    }),
    admin ? listRemindersForPerson(personId) : Promise.resolve(null),
    admin ? listInstructorRemindersForPerson(personId) : Promise.resolve(null),
  ]);

  const masked = (p: typeof mergedInto) => {
    if (!p) return null;
    const m = maskPerson(viewer, p, DIRECTORY, now);
    return m.hidden ? { hidden: true as const, label: m.label } : { hidden: false as const, id: m.id, name: `${m.firstName} ${m.lastName}` };
  };

  const memberships = [...person.affiliations]
    .sort((a, b) => b.schoolYear - a.schoolYear || a.school.name.localeCompare(b.school.name))
    .map((a) => ({ schoolYear: a.schoolYear, schoolName: a.school.name, schoolCode: a.school.code, title: a.title }));

  const sessions = enrollments
    .map((e) => ({
      sessionId: e.session.id,
      title: e.session.title,
      programName: e.session.program.name,
      status: e.session.status,
      firstDay: e.session.days[0]?.startsAt ?? null,
      lastDay: e.session.days.at(-1)?.startsAt ?? null,
      dayCount: e.session.days.length,
      daysPresent: e.attendance.filter((a) => a.status === "PRESENT").length,
      daysPartial: e.attendance.filter((a) => a.status === "PARTIAL").length,
      postWork: e.session.program.requiresPostWork ? e.postWorkCompletedOn : undefined,
      evaluation: e.session.program.requiresEvaluation ? e.evaluationCompletedOn : undefined,
      certified: e.session.certifications.length > 0,
    }))
    .sort((a, b) => (b.firstDay?.getTime() ?? 0) - (a.firstDay?.getTime() ?? 0));

  return {
    person: {
      ...shown,
      createdAt: person.createdAt,
      mergedInto: masked(mergedInto),
      mergedFrom: mergedFrom.map((p) => masked(p)).filter((p) => p !== null),
    },
    memberships,
    sessions,
    certifications: certifications.map((c) => {
      const status = certificationStatus(c, c.program, now);
      return {
        id: c.id,
        programName: c.program.name,
        issuedOn: c.issuedOn,
        expiresOn: c.expiresOn,
        status: { status, label: STATUS_LABELS[status] } satisfies CertificateStatusWords,
        session: c.session,
        renewedBy: c.renewedBy,
        renews: c.renews,
        source: c.source,
        // The reason is for those who correct the record (program leads and administrators).
        revoked: c.revokedAt ? { on: c.revokedAt, reason: CERTIFICATE_RECORD_ROLES.includes(viewer.role) ? c.revokedReason : null } : null,
      };
    }),
    reminders,
    instructorReminders,
    canDownloadCertificates: CERTIFICATE_PDF_ROLES.includes(viewer.role),
    canCorrectCertificates: CERTIFICATE_RECORD_ROLES.includes(viewer.role) && !person.mergedIntoId,
  };
}

export type PersonRecord = NonNullable<Awaited<ReturnType<typeof getPersonRecord>>>;
