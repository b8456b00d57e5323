/**
 * Records for the member-page tests (certificates, calendars, public check), each with unique
 * values: the worker database is shared with other test files.
 */
import { prisma, signIn, unique } from "./helpers";
import { createUser } from "./session-helpers";
import { newVerificationCode } from "~/models/certification.server";
import type { SessionAudience, SessionStatus } from "~/generated/prisma/client";

export const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

export async function makeSchool() {
  const region = await prisma.region.create({ data: { code: unique("R"), name: unique("Region ") } });
  return prisma.school.create({ data: { code: unique("S"), name: unique("Maple High "), level: "HIGH", regionId: region.id } });
}

export async function makeProgram(kind: "ymhfa" | "qpr" = "ymhfa", renewalGuidance = "") {
  return prisma.program.create({
    data:
      kind === "ymhfa"
        ? { code: unique("YMHFA"), name: unique("Youth Mental Health First Aid "), audience: "ADULTS", validityMonths: 36, renewalWindowDays: 90, renewalGuidance }
        : { code: unique("QPR"), name: unique("QPR Gatekeeper "), audience: "ANYONE", validityMonths: null, renewalWindowDays: null, renewalGuidance },
  });
}

export async function makePerson(data: { firstName?: string; lastName?: string; email?: string | null; schoolId?: string } = {}) {
  const person = await prisma.person.create({
    data: {
      districtId: unique("EMP"),
      firstName: data.firstName ?? "Ana",
      lastName: data.lastName ?? unique("Lopez"),
      email: data.email === undefined ? `${unique("ana")}@staff.example.org` : data.email,
      kind: "STAFF",
    },
  });
  if (data.schoolId) await prisma.affiliation.create({ data: { personId: person.id, schoolId: data.schoolId, schoolYear: 2025, title: "Teacher" } });
  return person;
}

/** A member signed in and linked to a new person. */
export async function signInMember(person?: { id: string }) {
  const p = person ?? (await makePerson());
  const { user, cookie } = await signIn("MEMBER", { personId: p.id });
  return { user, cookie, person: p };
}

export async function makeSession(opts: {
  programId: string;
  days: Array<[string, string]>;
  schoolId?: string;
  siteName?: string;
  title?: string;
  status?: SessionStatus;
  audience?: SessionAudience;
  leadTrainerName?: string;
  enroll?: string[];
}) {
  const lead = await createUser("TRAINER");
  if (opts.leadTrainerName) await prisma.user.update({ where: { id: lead.id }, data: { name: opts.leadTrainerName } });
  return prisma.trainingSession.create({
    data: {
      programId: opts.programId,
      title: opts.title,
      format: "IN_PERSON",
      audience: opts.audience ?? "STAFF",
      schoolId: opts.schoolId,
      siteName: opts.siteName,
      status: opts.status ?? "SCHEDULED",
      days: { create: opts.days.map(([start, end]) => ({ startsAt: new Date(start), endsAt: new Date(end) })) },
      trainers: { create: [{ userId: lead.id, role: "LEAD" }] },
      enrollments: opts.enroll ? { create: opts.enroll.map((personId) => ({ personId })) } : undefined,
    },
    include: { days: { orderBy: { startsAt: "asc" } } },
  });
}

export async function makeCertificate(opts: { personId: string; programId: string; issuedOn: string; expiresOn: string | null; sessionId?: string }) {
  return prisma.certification.create({
    data: {
      personId: opts.personId,
      programId: opts.programId,
      sessionId: opts.sessionId,
      issuedOn: day(opts.issuedOn),
      expiresOn: opts.expiresOn ? day(opts.expiresOn) : null,
      verificationCode: newVerificationCode(),
    },
  });
}

/** The ISO date (YYYY-MM-DD) `days` from today, UTC. */
export function isoFromToday(days: number): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days)).toISOString().slice(0, 10);
}
