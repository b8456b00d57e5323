/**
 * Small builders shared by the demo seed and the tests. Each takes a Prisma client (or a
 * transaction) and overrides, and returns the created row. Tests share one database per worker,
 * so every default that must be unique (codes, district IDs, emails) is made unique per call.
 */
import { randomBytes } from "node:crypto";
import type {
  AttendanceStatus,
  Prisma,
  PrismaClient,
  Role,
} from "~/generated/prisma/client";
import { expiresOn, startOfDayUtc } from "~/domain/program-rules";
import { newVerificationCode } from "~/domain/verification-code";
import { hashPassword } from "~/models/user.server";
import { PROGRAMS, type ProgramCode, type ProgramDefinition } from "./programs";

export type Db = PrismaClient | Prisma.TransactionClient;

/** The standard rules of each program, as in programs.ts, for building test programs. */
export const PROGRAM_PRESETS: Readonly<Record<ProgramCode, ProgramDefinition>> = {
  YMHFA: preset("YMHFA"),
  TMHFA: preset("TMHFA"),
  MHFA: preset("MHFA"),
  QPR: preset("QPR"),
};

function preset(code: ProgramCode): ProgramDefinition {
  const found = PROGRAMS.find((p) => p.code === code);
  if (!found) throw new Error(`No program preset ${code}`);
  return found;
}

export const FACTORY_PASSWORD = "correct horse battery staple";

// A per-process tag plus a counter: unique across calls, across workers and across runs that
// reuse a database file.
const RUN_TAG = randomBytes(3).toString("hex");
let counter = 0;
export function uniqueSuffix(): string {
  counter += 1;
  return `${RUN_TAG}${counter.toString(36)}`;
}

// Argon2 is slow on purpose; one hash per distinct password keeps bulk creation fast.
const hashes = new Map<string, Promise<string>>();
function passwordHashFor(password: string): Promise<string> {
  let hashed = hashes.get(password);
  if (!hashed) {
    hashed = hashPassword(password);
    hashes.set(password, hashed);
  }
  return hashed;
}

/** The app's own generator, for the seed and the tests. */
export { newVerificationCode };

export function createRegion(db: Db, overrides: Partial<Prisma.RegionUncheckedCreateInput> = {}) {
  const n = uniqueSuffix();
  return db.region.create({ data: { code: `R-${n}`, name: `Region ${n}`, ...overrides } });
}

export async function createSchool(db: Db, overrides: Partial<Prisma.SchoolUncheckedCreateInput> = {}) {
  const n = uniqueSuffix();
  const regionId = overrides.regionId ?? (await createRegion(db)).id;
  return db.school.create({
    data: { code: `S-${n}`, name: `Test School ${n}`, level: "HIGH", ...overrides, regionId },
  });
}

export type AffiliationInput = { schoolId: string; schoolYear: number; title?: string | null };

export function createPerson(
  db: Db,
  overrides: Partial<Omit<Prisma.PersonUncheckedCreateInput, "affiliations">> & { affiliations?: AffiliationInput[] } = {},
) {
  const n = uniqueSuffix();
  const { affiliations = [], ...rest } = overrides;
  const kind = rest.kind ?? "STAFF";
  // Community partners have no district ID; students often have no email.
  const districtId = kind === "COMMUNITY" ? null : `${kind === "STUDENT" ? "TS" : "TE"}-${n}`;
  const email = kind === "STUDENT" ? null : `pat.tester.${n}@test.example`;
  return db.person.create({
    data: {
      firstName: "Pat",
      lastName: `Tester ${n}`,
      districtId,
      email,
      ...rest,
      kind,
      affiliations: { create: affiliations.map((a) => ({ schoolId: a.schoolId, schoolYear: a.schoolYear, title: a.title ?? null })) },
    },
  });
}

/** A program with a preset's rules (YMHFA unless named) under a unique code; overrides change any rule. */
export function createProgram(
  db: Db,
  overrides: Partial<Prisma.ProgramUncheckedCreateInput> & { preset?: ProgramCode } = {},
) {
  const n = uniqueSuffix();
  const { preset: presetCode = "YMHFA", ...rest } = overrides;
  const base = PROGRAM_PRESETS[presetCode];
  return db.program.create({
    data: { ...base, code: `${base.code}-${n}`, name: `${base.name} ${n}`, ...rest },
  });
}

export type UserOptions = {
  id?: string;
  email?: string;
  name?: string;
  password?: string;
  schoolIds?: string[];
  personId?: string | null;
  active?: boolean;
};

export async function createUser(db: Db, role: Role, opts: UserOptions = {}) {
  const n = uniqueSuffix();
  return db.user.create({
    data: {
      id: opts.id,
      email: (opts.email ?? `${role.toLowerCase()}-${n}@test.example`).toLowerCase(),
      name: opts.name ?? `Test ${role.toLowerCase()} ${n}`,
      role,
      active: opts.active ?? true,
      passwordHash: await passwordHashFor(opts.password ?? FACTORY_PASSWORD),
      personId: opts.personId ?? null,
      schools: { create: (opts.schoolIds ?? []).map((schoolId) => ({ schoolId })) },
    },
  });
}

export type SessionDayInput = { startsAt: Date; endsAt: Date };

export type SessionOptions = Partial<Omit<Prisma.TrainingSessionUncheckedCreateInput, "days" | "trainers">> & {
  /** The lead trainer (a TRAINER user); one is created when missing. */
  leadTrainerId?: string;
  coTrainerIds?: string[];
  /** Defaults to one 6.5-hour day a week from now. */
  days?: SessionDayInput[];
};

const HOUR_MS = 60 * 60 * 1000;

/** A session with its days and trainers; the program and the lead trainer are created when not given. */
export async function createSession(db: Db, opts: SessionOptions = {}) {
  const { leadTrainerId, coTrainerIds = [], days, ...rest } = opts;
  const programId = rest.programId ?? (await createProgram(db)).id;
  const leadId = leadTrainerId ?? (await createUser(db, "TRAINER")).id;
  const firstStart = new Date(startOfDayUtc(new Date()).getTime() + 7 * 24 * HOUR_MS + 16 * HOUR_MS);
  const dayRows = days ?? [{ startsAt: firstStart, endsAt: new Date(firstStart.getTime() + 6.5 * HOUR_MS) }];
  const coTrainers = [...new Set(coTrainerIds)].filter((id) => id !== leadId);
  return db.trainingSession.create({
    data: {
      format: "IN_PERSON",
      audience: "STAFF",
      title: `Test session ${uniqueSuffix()}`,
      ...rest,
      programId,
      days: { create: dayRows.map((d) => ({ startsAt: d.startsAt, endsAt: d.endsAt })) },
      trainers: {
        create: [
          { userId: leadId, role: "LEAD" as const },
          ...coTrainers.map((userId) => ({ userId, role: "CO" as const })),
        ],
      },
    },
    include: { days: { orderBy: { startsAt: "asc" } }, trainers: true },
  });
}

export function enroll(
  db: Db,
  input: { sessionId: string; personId: string } & Partial<Prisma.EnrollmentUncheckedCreateInput>,
) {
  return db.enrollment.create({ data: { ...input } });
}

/** Records (or re-records) one learner's attendance on one session day. */
export function recordAttendance(
  db: Db,
  input: { enrollmentId: string; sessionDayId: string; status?: AttendanceStatus; method?: string; recordedAt?: Date },
) {
  const status = input.status ?? "PRESENT";
  const method = input.method ?? "MANUAL";
  const recordedAt = input.recordedAt ?? new Date();
  return db.attendance.upsert({
    where: { enrollmentId_sessionDayId: { enrollmentId: input.enrollmentId, sessionDayId: input.sessionDayId } },
    create: { enrollmentId: input.enrollmentId, sessionDayId: input.sessionDayId, status, method, recordedAt },
    update: { status, method, recordedAt },
  });
}

export type CertificationInput = {
  personId: string;
  programId: string;
  sessionId?: string | null;
  /** Defaults to today; kept as a calendar date (00:00 UTC). */
  issuedOn?: Date;
  /** Defaults to the program's rule; pass null for "never expires" or a date to override. */
  expiresOn?: Date | null;
  /** The id of an older certification this one renews; it is kept and marked renewed. */
  renews?: string;
  verificationCode?: string;
  createdAt?: Date;
};

/** Issues a certification whose expiry follows the program's rules (expiresOn in domain/program-rules). */
export async function issueCertification(db: Db, input: CertificationInput) {
  const program = await db.program.findUniqueOrThrow({ where: { id: input.programId }, select: { validityMonths: true } });
  const issuedOn = startOfDayUtc(input.issuedOn ?? new Date());
  const certification = await db.certification.create({
    data: {
      personId: input.personId,
      programId: input.programId,
      sessionId: input.sessionId ?? null,
      issuedOn,
      expiresOn: input.expiresOn === undefined ? expiresOn(issuedOn, program) : input.expiresOn,
      verificationCode: input.verificationCode ?? newVerificationCode(),
      createdAt: input.createdAt,
    },
  });
  if (input.renews) {
    await db.certification.update({ where: { id: input.renews }, data: { renewedById: certification.id } });
  }
  return certification;
}
