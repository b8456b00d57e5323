/**
 * The record exports (issue 14): the sessions list, a session's roster with attendance, and the
 * certificates of a program, place and period. Each reads what the matching page reads, scoped the same
 * way, and every person goes through person-visibility before anything leaves this file. The two lists
 * that grow without bound (sessions, certificates) are read a chunk at a time by key (keyset), never all
 * at once and never by OFFSET.
 */
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { currentSchoolIds } from "~/domain/person-visibility";
import { schoolYearSlices, type CertificateExportFilters, type CertificateExportRow, type RosterExportRow, type SessionExportRow, whyNoCertificate } from "~/domain/record-exports";
import { schoolYearOf } from "~/domain/school-year";
import type { Viewer } from "~/domain/session-access";
import { getSessionDetail, visibleSessionsSql, type SessionListFilters } from "~/models/training-session.server";
import { maskPerson, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";

export const EXPORT_CHUNK = 500;

// ---- sessions ----

/**
 * Every session the sessions list shows this viewer with this status filter (the same FROM and WHERE,
 * visibleSessionsSql), newest first as the list orders them, a chunk at a time.
 */
export async function* sessionsForExport(viewer: Viewer, status: SessionListFilters["status"], chunk = EXPORT_CHUNK): AsyncGenerator<SessionExportRow[]> {
  const from = visibleSessionsSql(viewer, { status, page: 1 });
  if (!from) return;
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    // (createdAt, id) descending: the list's order; the key of the last row read starts the next chunk.
    const keyset: Prisma.Sql = after
      ? Prisma.sql` AND (s."createdAt" < ${after.createdAt} OR (s."createdAt" <= ${after.createdAt} AND s."id" < ${after.id}))`
      : Prisma.empty;
    const ids = await prisma.$queryRaw<Array<{ id: string }>>`
      SELECT s."id" FROM ${from}${keyset} ORDER BY s."createdAt" DESC, s."id" DESC LIMIT ${chunk}`;
    if (ids.length === 0) return;
    const rows = await sessionRows(ids.map((r) => r.id));
    const last = rows[rows.length - 1];
    yield rows.map((r) => r.row);
    if (ids.length < chunk || !last) return;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

async function sessionRows(ids: string[]) {
  const [sessions, enrolled, attended, issued] = await Promise.all([
    prisma.trainingSession.findMany({
      where: { id: { in: ids } },
      select: {
        id: true, createdAt: true, title: true, format: true, status: true, siteName: true,
        program: { select: { name: true } },
        school: { select: { name: true } },
        days: { orderBy: { startsAt: "asc" }, select: { startsAt: true } },
        trainers: { orderBy: { role: "asc" }, select: { role: true, user: { select: { name: true } } } },
      },
    }),
    prisma.enrollment.groupBy({ by: ["sessionId"], where: { sessionId: { in: ids } }, _count: { _all: true } }),
    // People present (or partly) on at least one day: counted per session, by index.
    prisma.enrollment.groupBy({
      by: ["sessionId"], where: { sessionId: { in: ids }, attendance: { some: { status: { in: ["PRESENT", "PARTIAL"] } } } }, _count: { _all: true },
    }),
    prisma.certification.groupBy({ by: ["sessionId"], where: { sessionId: { in: ids }, revokedAt: null }, _count: { _all: true } }),
  ]);
  const count = (groups: Array<{ sessionId: string | null; _count: { _all: number } }>) => new Map(groups.map((g) => [g.sessionId, g._count._all]));
  const [enrolledBy, attendedBy, issuedBy] = [count(enrolled), count(attended), count(issued)];
  const byId = new Map(sessions.map((s) => [s.id, s]));
  return ids.flatMap((id) => {
    const s = byId.get(id);
    if (!s) return [];
    const row: SessionExportRow = {
      program: s.program.name, title: s.title, format: s.format, school: s.school?.name ?? null, siteName: s.siteName, status: s.status,
      days: s.days.map((d) => d.startsAt),
      trainers: s.trainers.map((t) => (t.role === "LEAD" ? `${t.user.name} (lead)` : t.user.name)),
      enrolled: enrolledBy.get(id) ?? 0, attended: attendedBy.get(id) ?? 0, certificatesIssued: issuedBy.get(id) ?? 0,
    };
    return [{ id, createdAt: s.createdAt, row }];
  });
}

// ---- a session's roster ----

/**
 * A session's roster as the session page shows it (getSessionDetail: the same people, the same fields),
 * with each person's kind, current school, attendance per day, post-work, evaluation and certificate.
 * People the viewer may not see are rows with a label only, as the page counts them. Access was checked
 * by requireSessionAccess.
 */
export async function sessionRosterForExport(sessionId: string, viewer: VisibilityViewer, now = new Date()) {
  const session = await getSessionDetail(sessionId, viewer);
  const shownIds = session.enrollments.map((e) => e.personId);
  const [affiliations, certificates] = await Promise.all([
    prisma.affiliation.findMany({ where: { personId: { in: shownIds } }, select: { personId: true, schoolId: true, schoolYear: true, school: { select: { name: true } } } }),
    prisma.certification.findMany({ where: { sessionId, personId: { in: shownIds } }, select: { personId: true, verificationCode: true, revokedAt: true } }),
  ]);
  const year = schoolYearOf(now);
  const certificateOf = new Map(certificates.map((c) => [c.personId, c]));
  const rows: RosterExportRow[] = session.enrollments.map((e) => {
    const own = affiliations.filter((a) => a.personId === e.personId);
    const current = new Set(currentSchoolIds(own, year));
    const schools = [...new Set(own.filter((a) => current.has(a.schoolId)).map((a) => a.school.name))].sort();
    const attendance = session.days.map((d) => e.attendance.find((a) => a.sessionDayId === d.id)?.status ?? null);
    const cert = certificateOf.get(e.personId);
    return {
      hidden: false,
      name: `${e.person.lastName}, ${e.person.firstName}`,
      districtId: e.person.districtId,
      kind: e.person.kind,
      schools,
      attendance,
      postWorkOn: e.postWorkCompletedOn,
      evaluationOn: e.evaluationCompletedOn,
      certificate: cert ? { verificationCode: cert.verificationCode, revoked: cert.revokedAt != null } : null,
      whyNot: whyNoCertificate(session.status, session.program, {
        attendance, postWorkDone: e.postWorkCompletedOn != null, evaluationDone: e.evaluationCompletedOn != null,
      }, cert?.revokedAt != null),
    };
  });
  // Only students are ever hidden (person-visibility): counted, one row each, nothing of theirs.
  for (let i = 0; i < session.hiddenCount; i += 1) rows.push({ hidden: true, label: "Student (not shown)", kind: "STUDENT" });
  return { session: { id: session.id, title: session.title, programCode: session.program.code, days: session.days.map((d) => d.startsAt) }, rows };
}

// ---- certificates ----

/** The schools a certificates export covers: null for the whole district. */
export type CertificateScope = { schoolIds: string[] | null };

/** The choices of the certificates filter form, limited to the coordinator's schools for a coordinator. */
export async function certificateFilterOptions(viewer: Viewer) {
  const coordinator = viewer.role === "COORDINATOR";
  const [programs, schools, regions] = await Promise.all([
    prisma.program.findMany({ orderBy: { name: "asc" }, select: { id: true, code: true, name: true } }),
    prisma.school.findMany({ where: coordinator ? { id: { in: [...viewer.schoolIds] } } : {}, orderBy: { name: "asc" }, select: { id: true, code: true, name: true } }),
    coordinator ? Promise.resolve([]) : prisma.region.findMany({ orderBy: { name: "asc" }, select: { id: true, code: true, name: true } }),
  ]);
  return { programs, schools, regions };
}

export type CertificateScopeResult =
  | { ok: true; scope: CertificateScope; program: { id: string; code: string; name: string }; placeCode: string | null }
  | { ok: false; status: 400 | 403; errors: Record<string, string> };

/**
 * What a certificates export may cover: a program that exists, a school or region that exists, and for a
 * coordinator only their own schools (all of them when none is chosen; a region is refused).
 */
export async function resolveCertificateScope(viewer: Viewer, filters: CertificateExportFilters): Promise<CertificateScopeResult> {
  const program = await prisma.program.findUnique({ where: { id: filters.programId }, select: { id: true, code: true, name: true } });
  if (!program) return { ok: false, status: 400, errors: { program: "Choose a program from the list" } };
  if (viewer.role === "COORDINATOR") {
    if (filters.regionId) return { ok: false, status: 403, errors: { region: "A coordinator exports their own schools' certificates: choose one of your schools" } };
    if (filters.schoolId && !viewer.schoolIds.includes(filters.schoolId)) {
      return { ok: false, status: 403, errors: { school: "A coordinator exports their own schools' certificates only" } };
    }
  }
  if (filters.schoolId) {
    const school = await prisma.school.findUnique({ where: { id: filters.schoolId }, select: { id: true, code: true } });
    if (!school) return { ok: false, status: 400, errors: { school: "Choose a school from the list" } };
    return { ok: true, program, scope: { schoolIds: [school.id] }, placeCode: school.code };
  }
  if (filters.regionId) {
    const region = await prisma.region.findUnique({ where: { id: filters.regionId }, select: { code: true, schools: { select: { id: true } } } });
    if (!region) return { ok: false, status: 400, errors: { region: "Choose a region from the list" } };
    return { ok: true, program, scope: { schoolIds: region.schools.map((s) => s.id) }, placeCode: region.code };
  }
  if (viewer.role === "COORDINATOR") return { ok: true, program, scope: { schoolIds: [...viewer.schoolIds] }, placeCode: null };
  return { ok: true, program, scope: { schoolIds: null }, placeCode: null };
}

/**
 * The certificates of a program issued in the period (both days included), at the chosen schools: those
 * whose holder was affiliated with one of them in the school year the certificate was issued. Revoked
 * and renewed ones included (their status says so). Read in (issuedOn, id) order a chunk at a time, each
 * chunk after the last key read (the index on programId, issuedOn serves it). Each holder passes
 * person-visibility as seen through an export: one the viewer may not see is a row without name, ID or code.
 */
export async function* certificatesForExport(
  viewer: VisibilityViewer, filters: CertificateExportFilters, scope: CertificateScope, now = new Date(), chunk = EXPORT_CHUNK,
): AsyncGenerator<CertificateExportRow[]> {
  if (scope.schoolIds && scope.schoolIds.length === 0) return;
  const slices = schoolYearSlices(filters.from, filters.to);
  const endExclusive = new Date(filters.to.getTime() + 24 * 3600_000);
  const schoolIds = scope.schoolIds;
  const where: Prisma.CertificationWhereInput = {
    programId: filters.programId,
    issuedOn: { gte: filters.from, lt: endExclusive },
    ...(schoolIds
      ? { OR: slices.map((s) => ({ issuedOn: { gte: s.start, lt: s.end }, person: { affiliations: { some: { schoolYear: s.schoolYear, schoolId: { in: schoolIds } } } } })) }
      : {}),
  };
  let after: { issuedOn: Date; id: string } | null = null;
  for (;;) {
    const page: CertificatePage[] = await prisma.certification.findMany({
      where: after ? { AND: [where, { OR: [{ issuedOn: { gt: after.issuedOn } }, { issuedOn: after.issuedOn, id: { gt: after.id } }] }] } : where,
      orderBy: [{ issuedOn: "asc" }, { id: "asc" }],
      take: chunk,
      select: certificateSelect,
    });
    if (page.length === 0) return;
    yield page.map((c) => {
      const person = maskPerson(viewer, c.person, { via: "export" }, now);
      return {
        person: person.hidden ? null : { name: `${person.lastName}, ${person.firstName}`, districtId: person.districtId },
        hiddenLabel: person.hidden ? person.label : "",
        program: c.program.name,
        issuedOn: c.issuedOn,
        expiresOn: c.expiresOn,
        renewedById: c.renewedById,
        revokedAt: c.revokedAt,
        renewalWindowDays: c.program.renewalWindowDays,
        sessionLabel: c.session ? sessionLabel(c.session) : null,
        source: c.source,
        verificationCode: c.verificationCode,
      };
    });
    if (page.length < chunk) return;
    const last = page[page.length - 1];
    after = { issuedOn: last.issuedOn, id: last.id };
  }
}

const certificateSelect = {
  id: true, issuedOn: true, expiresOn: true, renewedById: true, revokedAt: true, source: true, verificationCode: true,
  program: { select: { name: true, renewalWindowDays: true } },
  session: { select: { title: true, school: { select: { name: true } } } },
  person: { select: visiblePersonSelect },
} as const satisfies Prisma.CertificationSelect;

type CertificatePage = Prisma.CertificationGetPayload<{ select: typeof certificateSelect }>;

function sessionLabel(s: CertificatePage["session"] & object): string {
  return [s.title, s.school?.name].filter(Boolean).join(", ") || "session";
}
