/**
 * The four programs the district runs, with their rules as data (docs/domain.md, "Programs and
 * their rules"). Code reads rules from the Program row; these values are only the starting point
 * an administrator can change afterwards.
 */
import type { PrismaClient, Prisma, Program } from "~/generated/prisma/client";

export type ProgramCode = "YMHFA" | "TMHFA" | "MHFA" | "QPR";

export type ProgramDefinition = {
  code: ProgramCode;
  name: string;
  description: string;
  audience: Prisma.ProgramCreateInput["audience"];
  validityMonths: number | null;
  renewalWindowDays: number | null;
  requiresAttendance: boolean;
  requiresPostWork: boolean;
  requiresEvaluation: boolean;
  maxParticipants: number | null;
  reminderDays: string;
  renewalGuidance: string;
  /** Contact hours printed on the certificate; null prints none. */
  hours: number | null;
  /** Courses an instructor must teach per certification year to stay certified; null: no such rule. */
  instructorCoursesPerYear: number | null;
  /** An instructor must hold a current certificate of the program themselves. */
  instructorNeedsCertificate: boolean;
};

const THREE_YEAR_RENEWAL =
  "Your certificate is valid for 3 years. In the 90 days before it expires you can take the shorter " +
  "recertification course; once it has expired you need to take the full course again.";

export const PROGRAMS: readonly ProgramDefinition[] = [
  {
    code: "YMHFA",
    name: "Youth Mental Health First Aid",
    description:
      "For adults who help young people aged 12-18: how to recognise and respond to signs of mental health and " +
      "substance use challenges. In person (6.5 hours) or blended (2 hours self-paced, then 4.5 hours with an instructor).",
    audience: "ADULTS",
    validityMonths: 36,
    renewalWindowDays: 90,
    requiresAttendance: true,
    requiresPostWork: true,
    requiresEvaluation: false,
    maxParticipants: 30,
    reminderDays: "90,30,7,0",
    renewalGuidance: THREE_YEAR_RENEWAL,
    // 6.5 hours either way: in person, or 2 self-paced + 4.5 with an instructor (docs/domain.md).
    hours: 6.5,
    // YMHFA instructors teach at least 3 courses a year to stay certified (docs/domain.md).
    instructorCoursesPerYear: 3,
    // ... and hold an active First Aider certificate themselves (docs/domain.md).
    instructorNeedsCertificate: true,
  },
  {
    code: "TMHFA",
    name: "Teen Mental Health First Aid",
    description:
      "For students in grades 10-12: how to notice when a friend is struggling and get a trusted adult involved. " +
      "Six 45-minute or three 90-minute lessons on separate days, taught to a whole grade level. A school runs it " +
      "once about 10% of its staff hold Youth Mental Health First Aid.",
    audience: "STUDENTS",
    // The domain sources give no expiry for tMHFA, so it is left blank (never expires) until the district decides.
    validityMonths: null,
    renewalWindowDays: null,
    requiresAttendance: true,
    requiresPostWork: false,
    requiresEvaluation: false,
    maxParticipants: 30,
    reminderDays: "90,30,7,0",
    renewalGuidance: "",
    // Six 45-minute or three 90-minute lessons.
    hours: 4.5,
    instructorCoursesPerYear: null,
    instructorNeedsCertificate: false,
  },
  {
    code: "MHFA",
    name: "Mental Health First Aid (Adult)",
    description:
      "For adults who want to help other adults facing a mental health or substance use challenge or crisis. " +
      "Same formats as Youth Mental Health First Aid.",
    audience: "ADULTS",
    validityMonths: 36,
    renewalWindowDays: 90,
    requiresAttendance: true,
    requiresPostWork: true,
    requiresEvaluation: false,
    maxParticipants: 30,
    reminderDays: "90,30,7,0",
    renewalGuidance: THREE_YEAR_RENEWAL,
    hours: 6.5,
    instructorCoursesPerYear: null,
    instructorNeedsCertificate: false,
  },
  {
    code: "QPR",
    name: "QPR Gatekeeper Training",
    description:
      "Question, Persuade, Refer: suicide-prevention gatekeeper training for anyone, students included. " +
      "1-2 hours in person or online; extended modules run 3-8 hours.",
    audience: "ANYONE",
    // Whether QPR expires is not settled (docs/domain.md): blank means the certificate never expires.
    validityMonths: null,
    renewalWindowDays: null,
    requiresAttendance: true,
    requiresPostWork: false,
    requiresEvaluation: false,
    maxParticipants: null,
    reminderDays: "90,30,7,0",
    renewalGuidance: "This certificate of completion does not expire under the district's current setting.",
    // The standard course runs 1-2 hours; an extended module (3-8 hours) would be a program of its own.
    hours: 1.5,
    instructorCoursesPerYear: null,
    instructorNeedsCertificate: false,
  },
];

export function programDefinition(code: ProgramCode): ProgramDefinition {
  const found = PROGRAMS.find((p) => p.code === code);
  if (!found) throw new Error(`No program definition for ${code}`);
  return found;
}

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Creates any of the four programs that do not exist yet, matched by code. An existing program is
 * left as it is: its rules are data an administrator may have changed since.
 */
export async function upsertPrograms(db: Db): Promise<Record<ProgramCode, Program>> {
  const rows: Partial<Record<ProgramCode, Program>> = {};
  for (const definition of PROGRAMS) {
    rows[definition.code] = await db.program.upsert({
      where: { code: definition.code },
      create: { ...definition },
      update: {},
    });
  }
  const { YMHFA, TMHFA, MHFA, QPR } = rows;
  if (!YMHFA || !TMHFA || !MHFA || !QPR) throw new Error("A program is missing after upsert");
  return { YMHFA, TMHFA, MHFA, QPR };
}
