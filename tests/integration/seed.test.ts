/**
 * The demo district, loaded twice into fresh databases copied from the migrated template (SQLite
 * files, or PostgreSQL databases made with CREATE DATABASE … TEMPLATE on the PostgreSQL run):
 * it has the size and the cases the demo needs, follows the programs' rules, and is the same
 * data on every run.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { verify } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient, prisma as workerDb } from "~/db.server";
import { addDays, certificationStatus, daysBetween, evaluateCompletion } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import { decidingCertification, instructorStanding } from "~/domain/instructor-standing";
import { dateInZone } from "~/domain/time";
import type { PrismaClient } from "~/generated/prisma/client";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemoDistrict } from "../../prisma/seed/demo-district";
import {
  createPerson,
  createProgram,
  createSchool,
  createSession,
  createUser,
  enroll,
  issueCertification,
  recordAttendance,
} from "../../prisma/seed/factories";
import { createDatabase, databaseUrl, dropDatabases } from "../setup/postgres-databases";

const TODAY = new Date("2026-11-22T18:00:00Z");
const DAY = new Date("2026-11-22T00:00:00Z");
const YEARS = [2024, 2025, 2026];

type Seeded = { prisma: PrismaClient; remove: () => Promise<void> };

async function freshDatabase(name: string): Promise<Seeded> {
  const postgres = inject("postgres");
  if (postgres) {
    const database = `${postgres.template}_seed_${name}_${process.pid}`;
    await createDatabase(postgres.adminUrl, database, postgres.template);
    return { prisma: createPrismaClient(databaseUrl(postgres.adminUrl, database)), remove: () => dropDatabases(postgres.adminUrl, database) };
  }
  const dir = inject("dbDir");
  const file = path.join(dir, `seed-${name}-${process.pid}.db`);
  fs.copyFileSync(path.join(dir, "template.db"), file);
  return { prisma: createPrismaClient(`file:${file}`), remove: async () => fs.rmSync(file, { force: true }) };
}

/** A digest of everything but ids and verification codes, which are random by design. */
async function fingerprint(prisma: PrismaClient): Promise<string> {
  const hash = createHash("sha256");
  const add = (label: string, rows: unknown[]) => hash.update(`${label}\n${rows.map((r) => JSON.stringify(r)).sort().join("\n")}\n`);
  add("regions", await prisma.region.findMany({ select: { code: true, name: true } }));
  add("schools", await prisma.school.findMany({ select: { code: true, name: true, level: true, region: { select: { code: true } } } }));
  add("people", await prisma.person.findMany({ select: { districtId: true, firstName: true, lastName: true, email: true, kind: true } }));
  const schoolCodes = new Map((await prisma.school.findMany({ select: { id: true, code: true } })).map((s) => [s.id, s.code]));
  // Community partners have no district ID: name and email stand in for it.
  const personKeys = new Map(
    (await prisma.person.findMany({ select: { id: true, districtId: true, firstName: true, lastName: true, email: true } })).map((p) => [
      p.id, p.districtId ?? `${p.firstName} ${p.lastName} <${p.email}>`,
    ]),
  );
  add(
    "affiliations",
    (await prisma.affiliation.findMany({ select: { personId: true, schoolId: true, schoolYear: true, title: true } })).map((a) => [
      personKeys.get(a.personId), schoolCodes.get(a.schoolId), a.schoolYear, a.title,
    ]),
  );
  add(
    "headcounts",
    (await prisma.headcount.findMany({ select: { schoolId: true, schoolYear: true, staffCount: true, studentCount: true } })).map((h) => [
      schoolCodes.get(h.schoolId), h.schoolYear, h.staffCount, h.studentCount,
    ]),
  );
  add(
    "sessions",
    await prisma.trainingSession.findMany({
      select: {
        title: true, status: true, format: true, audience: true, closedAt: true,
        program: { select: { code: true } }, school: { select: { code: true } },
        days: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } },
        trainers: { select: { role: true, user: { select: { email: true } } }, orderBy: { role: "asc" } },
        _count: { select: { enrollments: true } },
      },
    }),
  );
  add(
    "certifications",
    (await prisma.certification.findMany({
      select: { personId: true, issuedOn: true, expiresOn: true, renewedById: true, program: { select: { code: true } } },
    })).map((c) => [personKeys.get(c.personId), c.program.code, c.issuedOn, c.expiresOn, c.renewedById != null]),
  );
  return hash.digest("hex");
}

describe("the demo district seed", () => {
  let first: Seeded;
  let second: Seeded;

  beforeAll(async () => {
    first = await freshDatabase("a");
    second = await freshDatabase("b");
    await seedDemoDistrict(first.prisma, { today: TODAY, log: () => {} });
    await seedDemoDistrict(second.prisma, { today: TODAY, log: () => {} });
  }, 300_000);

  afterAll(async () => {
    for (const db of [first, second]) {
      if (!db) continue;
      await db.prisma.$disconnect();
      await db.remove();
    }
  });

  it("is the same data on every run (ids and verification codes aside)", async () => {
    const [a, b] = await Promise.all([fingerprint(first.prisma), fingerprint(second.prisma)]);
    expect(a).toBe(b);
  }, 120_000);

  it("gives each run its own unguessable verification codes", async () => {
    const codes = async (db: Seeded) => (await db.prisma.certification.findMany({ select: { verificationCode: true } })).map((c) => c.verificationCode);
    const [a, b] = await Promise.all([codes(first), codes(second)]);
    expect(a.length).toBeGreaterThan(0);
    const fromSecond = new Set(b);
    expect(a.filter((code) => fromSecond.has(code))).toEqual([]);
    for (const code of a.slice(0, 50)) expect(Buffer.from(code, "base64url")).toHaveLength(16);
  });

  it("has a large district's shape: regions, schools, staff, students and partners", async () => {
    const { prisma } = first;
    expect(await prisma.region.count()).toBeGreaterThanOrEqual(4);
    expect(await prisma.school.count()).toBeGreaterThanOrEqual(50);
    expect(await prisma.person.count({ where: { kind: "STAFF" } })).toBeGreaterThanOrEqual(2000);
    expect(await prisma.person.count({ where: { kind: "STUDENT" } })).toBeGreaterThanOrEqual(20000);
    // Most students have no email on file.
    expect(await prisma.person.count({ where: { kind: "STUDENT", email: null } })).toBeGreaterThan(10000);
    const partners = await prisma.person.findMany({ where: { kind: "COMMUNITY" }, select: { districtId: true, email: true, firstName: true, lastName: true } });
    expect(partners.length).toBeGreaterThanOrEqual(250);
    expect(partners.every((p) => p.districtId == null && p.email)).toBe(true);
    // Some partners were entered twice under the same name with a differently written email.
    const byName = new Map<string, string[]>();
    for (const p of partners) byName.set(`${p.firstName} ${p.lastName}`, [...(byName.get(`${p.firstName} ${p.lastName}`) ?? []), p.email ?? ""]);
    const casingTwins = [...byName.values()].filter((emails) => emails.length > 1 && new Set(emails.map((e) => e.toLowerCase())).size < emails.length);
    expect(casingTwins.length).toBeGreaterThan(0);
  });

  it("affiliates people for three school years, with itinerant staff at two schools", async () => {
    const { prisma } = first;
    expect(schoolYearOf(TODAY)).toBe(2026);
    for (const schoolYear of YEARS) {
      const staffRows = await prisma.affiliation.findMany({ where: { schoolYear, person: { kind: "STAFF" } }, select: { personId: true } });
      const perPerson = new Map<string, number>();
      for (const r of staffRows) perPerson.set(r.personId, (perPerson.get(r.personId) ?? 0) + 1);
      const atTwo = [...perPerson.values()].filter((n) => n > 1).length;
      expect(perPerson.size).toBeGreaterThanOrEqual(2000);
      expect(atTwo / perPerson.size).toBeGreaterThan(0.03);
      expect(atTwo / perPerson.size).toBeLessThan(0.1);
      expect(await prisma.affiliation.count({ where: { schoolYear, person: { kind: "STUDENT" } } })).toBeGreaterThanOrEqual(15000);
    }
  });

  it("has a headcount for every school and year, close to the rosters", async () => {
    const { prisma } = first;
    const schools = await prisma.school.findMany({ select: { id: true, headcounts: { select: { schoolYear: true, staffCount: true } } } });
    for (const school of schools) {
      expect(school.headcounts.map((h) => h.schoolYear).sort()).toEqual(YEARS);
    }
    const school = schools[0];
    const current = school.headcounts.find((h) => h.schoolYear === 2026);
    const rostered = await prisma.affiliation.count({ where: { schoolId: school.id, schoolYear: 2026, person: { kind: "STAFF" } } });
    expect(current?.staffCount).toBeGreaterThanOrEqual(rostered);
    expect(current?.staffCount).toBeLessThanOrEqual(rostered + 2);
  });

  it("has sessions of all four programs, closed, awaiting close, upcoming and cancelled", async () => {
    const { prisma } = first;
    for (const code of ["YMHFA", "TMHFA", "MHFA", "QPR"]) {
      expect(await prisma.trainingSession.count({ where: { program: { code }, status: "CLOSED" } })).toBeGreaterThan(3);
    }
    expect(await prisma.trainingSession.count({ where: { status: "CANCELLED" } })).toBeGreaterThan(0);
    const terry = { trainers: { some: { user: { email: "trainer@demo.k12.example" }, role: "LEAD" as const } }, status: "SCHEDULED" as const };
    const awaitingClose = await prisma.trainingSession.count({ where: { ...terry, NOT: { days: { some: { endsAt: { gte: DAY } } } } } });
    const upcoming = await prisma.trainingSession.count({ where: { ...terry, days: { some: { startsAt: { gte: addDays(DAY, 1) } } } } });
    expect(awaitingClose).toBeGreaterThanOrEqual(2);
    expect(upcoming).toBeGreaterThanOrEqual(2);
    const tmhfa = await prisma.trainingSession.findFirstOrThrow({ where: { program: { code: "TMHFA" } }, select: { _count: { select: { days: true } } } });
    expect(tmhfa._count.days).toBe(3);
  });

  it("issues certificates only to those who met the program's completion rule", async () => {
    const { prisma } = first;
    const certs = await prisma.certification.findMany({
      select: {
        personId: true, sessionId: true, source: true,
        person: { select: { user: { select: { role: true } } } },
        program: true,
        session: { select: { status: true, days: { select: { id: true } } } },
      },
    });
    expect(certs.length).toBeGreaterThan(1000);
    const enrollments = await prisma.enrollment.findMany({
      select: { sessionId: true, personId: true, postWorkCompletedOn: true, evaluationCompletedOn: true, attendance: { select: { sessionDayId: true, status: true } } },
    });
    const byKey = new Map(enrollments.map((e) => [`${e.sessionId}:${e.personId}`, e]));
    // The only certificates not from a session: YMHFA instructors' own, recorded from the official platform.
    const recorded = certs.filter((c) => c.sessionId === null);
    expect(recorded.length).toBeGreaterThan(0);
    for (const cert of recorded) expect([cert.source, cert.program.code, cert.person.user?.role]).toEqual(["Official MHFA platform", "YMHFA", "TRAINER"]);
    for (const cert of certs.filter((c) => c.sessionId !== null)) {
      expect(cert.session?.status).toBe("CLOSED");
      const enrollment = byKey.get(`${cert.sessionId}:${cert.personId}`);
      expect(enrollment).toBeDefined();
      if (!enrollment || !cert.session) continue;
      const attendance = cert.session.days.map((d) => enrollment.attendance.find((a) => a.sessionDayId === d.id)?.status ?? null);
      const result = evaluateCompletion(cert.program, {
        attendance,
        postWorkDone: enrollment.postWorkCompletedOn != null,
        evaluationDone: enrollment.evaluationCompletedOn != null,
      });
      expect(result).toEqual({ completed: true });
    }
    // Some attended but never finished post-work, and got no certificate.
    const unfinished = await prisma.enrollment.count({
      where: { session: { status: "CLOSED", program: { code: "YMHFA" } }, postWorkCompletedOn: null, attendance: { some: { status: "PRESENT" } } },
    });
    expect(unfinished).toBeGreaterThan(0);
  });

  it("has certificates expiring soon, expired, and renewed with both records kept", async () => {
    const { prisma } = first;
    const expiringSoon = await prisma.certification.count({ where: { renewedById: null, expiresOn: { gt: DAY, lte: addDays(DAY, 90) } } });
    const expired = await prisma.certification.count({ where: { renewedById: null, expiresOn: { lte: DAY } } });
    expect(expiringSoon).toBeGreaterThan(0);
    expect(expired).toBeGreaterThan(0);
    const renewed = await prisma.certification.findMany({
      where: { renewedById: { not: null } },
      select: { personId: true, programId: true, issuedOn: true, expiresOn: true, renewedBy: { select: { personId: true, programId: true, issuedOn: true } } },
    });
    expect(renewed.length).toBeGreaterThan(0);
    for (const old of renewed) {
      expect(old.renewedBy).not.toBeNull();
      expect(old.renewedBy?.personId).toBe(old.personId);
      expect(old.renewedBy?.programId).toBe(old.programId);
      // Renewed while still current (docs/decisions/002-renewals.md).
      expect(old.renewedBy && old.expiresOn && old.renewedBy.issuedOn < old.expiresOn).toBe(true);
      expect(old.renewedBy && old.renewedBy.issuedOn >= old.issuedOn).toBe(true);
    }
  });

  it("links every demo trainer to a person with instructor certifications: Terry short, Dana expiring soon, Sam expired", async () => {
    const { prisma } = first;
    const trainers = await prisma.user.findMany({
      where: { role: "TRAINER" },
      select: { id: true, email: true, personId: true, person: { select: { instructorCertifications: { select: { issuedOn: true, expiresOn: true, program: { select: { code: true, instructorCoursesPerYear: true } } } } } } },
    });
    expect(trainers.every((t) => t.personId !== null && (t.person?.instructorCertifications.length ?? 0) > 0)).toBe(true);
    const today = new Date(`${dateInZone(TODAY, "America/Los_Angeles")}T00:00:00Z`);
    const ymhfaStanding = async (email: string) => {
      const trainer = trainers.find((t) => t.email === email);
      const certs = (trainer?.person?.instructorCertifications ?? []).filter((c) => c.program.code === "YMHFA");
      const deciding = decidingCertification(certs, today);
      if (!trainer || !deciding) throw new Error(`${email} has no YMHFA instructor certification`);
      const sessions = await prisma.trainingSession.findMany({
        where: { status: "CLOSED", program: { code: "YMHFA" }, trainers: { some: { userId: trainer.id } } },
        select: { days: { select: { startsAt: true }, orderBy: { startsAt: "desc" }, take: 1 } },
      });
      const courseDays = sessions.map((s) => new Date(`${dateInZone(s.days[0].startsAt, "America/Los_Angeles")}T00:00:00Z`));
      return instructorStanding({ certification: deciding, coursesRequired: deciding.program.instructorCoursesPerYear, courseDays, asOf: today });
    };
    const terry = await ymhfaStanding("trainer@demo.k12.example");
    expect(terry.status).toBe("short");
    expect(terry.coursesRequired).toBe(3);
    expect((await ymhfaStanding("trainer2@demo.k12.example")).expiringSoon).toBe(true);
    expect((await ymhfaStanding("trainer3@demo.k12.example")).status).toBe("expired");
    // YMHFA instructors hold a current YMHFA certificate of their own, but Kim Nguyen (trainer6), who shows that case.
    const holders = await prisma.certification.findMany({
      where: { program: { code: "YMHFA" }, sessionId: null, expiresOn: { gt: today } },
      select: { person: { select: { user: { select: { email: true } } } } },
    });
    expect(holders.map((h) => h.person.user?.email).sort()).toEqual(["trainer2@demo.k12.example", "trainer3@demo.k12.example", "trainer5@demo.k12.example", "trainer@demo.k12.example"]);
  });

  it("has one demo login per role, all with the demo password", async () => {
    const { prisma } = first;
    expect(DEMO_LOGINS.map((l) => l.role).sort()).toEqual(["ADMIN", "COORDINATOR", "MEMBER", "PROGRAM_LEAD", "TRAINER"]);
    for (const login of DEMO_LOGINS) {
      const user = await prisma.user.findUniqueOrThrow({ where: { email: login.email } });
      expect(user.role).toBe(login.role);
      expect(await verify(user.passwordHash ?? "", DEMO_PASSWORD)).toBe(true);
    }
    expect(await prisma.user.count({ where: { role: "TRAINER" } })).toBe(6);
    const coordinator = await prisma.user.findUniqueOrThrow({
      where: { email: "coordinator@demo.k12.example" },
      select: { schools: { select: { school: { select: { code: true } } } } },
    });
    expect(coordinator.schools.map((s) => s.school.code).sort()).toEqual(["S001", "S002"]);
  });

  it("gives the member a YMHFA certificate in its renewal window, a QPR one and an expired MHFA one", async () => {
    const { prisma } = first;
    const member = await prisma.user.findUniqueOrThrow({
      where: { email: "member@demo.k12.example" },
      select: {
        person: {
          select: {
            affiliations: { where: { schoolYear: 2026 }, select: { school: { select: { code: true } } } },
            certifications: { select: { issuedOn: true, expiresOn: true, renewedById: true, program: true } },
          },
        },
      },
    });
    expect(member.person?.affiliations.map((a) => a.school.code)).toEqual(["S001"]);
    const certs = member.person?.certifications ?? [];
    const of = (code: string) => certs.filter((c) => c.program.code === code);
    const [ymhfa] = of("YMHFA");
    // Inside 30 days of expiry, and at most 14 days past the 30-day reminder's due date: the first pass sends it.
    expect(ymhfa.expiresOn && daysBetween(DAY, ymhfa.expiresOn)).toBeGreaterThanOrEqual(20);
    expect(ymhfa.expiresOn && daysBetween(DAY, ymhfa.expiresOn)).toBeLessThanOrEqual(27);
    expect(certificationStatus(ymhfa, ymhfa.program, TODAY)).toBe("renewal-window");
    const [qpr] = of("QPR");
    expect(qpr.expiresOn).toBeNull();
    expect(certificationStatus(qpr, qpr.program, TODAY)).toBe("active");
    const [mhfa] = of("MHFA");
    expect(certificationStatus(mhfa, mhfa.program, TODAY)).toBe("expired");
  });

  it("sets goals for the district, a region and a school", async () => {
    const goals = await first.prisma.goal.findMany({ select: { scope: true, measure: true, target: true, program: { select: { code: true } } } });
    expect(goals.length).toBeGreaterThanOrEqual(3);
    expect(goals).toContainEqual({ scope: "DISTRICT", measure: "STAFF_REACH", target: 25, program: { code: "YMHFA" } });
    expect(new Set(goals.map((g) => g.scope))).toEqual(new Set(["DISTRICT", "REGION", "SCHOOL"]));
  });

  it("refuses to load into a database that already has data", async () => {
    await expect(seedDemoDistrict(first.prisma, { today: TODAY, log: () => {} })).rejects.toThrow(/empty database/);
  });
});

describe("the shared factories", () => {
  it("make unique rows on a shared database, by default", async () => {
    const [a, b] = [await createSchool(workerDb), await createSchool(workerDb)];
    expect(a.code).not.toBe(b.code);
    const [p, q] = [await createPerson(workerDb), await createPerson(workerDb, { kind: "STUDENT" })];
    expect(p.districtId).not.toBe(q.districtId);
    expect(q.email).toBeNull();
    expect((await createPerson(workerDb, { kind: "COMMUNITY" })).districtId).toBeNull();
  });

  it("build a session with days and trainers, enrolments, attendance and a renewal", async () => {
    const program = await createProgram(workerDb, { preset: "YMHFA" });
    expect(program.validityMonths).toBe(36);
    const lead = await createUser(workerDb, "TRAINER");
    const co = await createUser(workerDb, "TRAINER");
    const school = await createSchool(workerDb);
    const session = await createSession(workerDb, { programId: program.id, leadTrainerId: lead.id, coTrainerIds: [co.id], schoolId: school.id });
    expect(session.days).toHaveLength(1);
    expect(session.trainers.map((t) => t.role).sort()).toEqual(["CO", "LEAD"]);
    const person = await createPerson(workerDb, { affiliations: [{ schoolId: school.id, schoolYear: 2026, title: "Teacher" }] });
    const enrollment = await enroll(workerDb, { sessionId: session.id, personId: person.id, postWorkCompletedOn: DAY });
    await recordAttendance(workerDb, { enrollmentId: enrollment.id, sessionDayId: session.days[0].id, status: "ABSENT" });
    const attendance = await recordAttendance(workerDb, { enrollmentId: enrollment.id, sessionDayId: session.days[0].id });
    expect(attendance.status).toBe("PRESENT");

    const old = await issueCertification(workerDb, { personId: person.id, programId: program.id, issuedOn: new Date("2023-12-01T00:00:00Z") });
    expect(old.expiresOn).toEqual(new Date("2026-12-01T00:00:00Z"));
    const renewal = await issueCertification(workerDb, { personId: person.id, programId: program.id, sessionId: session.id, issuedOn: DAY, renews: old.id });
    const kept = await workerDb.certification.findUniqueOrThrow({ where: { id: old.id } });
    expect(kept.renewedById).toBe(renewal.id);
    expect(renewal.verificationCode).not.toBe(old.verificationCode);

    const qpr = await createProgram(workerDb, { preset: "QPR" });
    expect((await issueCertification(workerDb, { personId: person.id, programId: qpr.id })).expiresOn).toBeNull();
  });
});
