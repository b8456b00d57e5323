import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";
import type { NewProgramForm, ProgramRulesForm } from "~/forms/program";
import type { FieldErrors } from "~/utils/forms";

export type Saved<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const RULE_SELECT = {
  id: true,
  code: true,
  name: true,
  description: true,
  audience: true,
  validityMonths: true,
  renewalWindowDays: true,
  requiresAttendance: true,
  requiresPostWork: true,
  requiresEvaluation: true,
  maxParticipants: true,
  reminderDays: true,
  renewalGuidance: true,
  instructorCoursesPerYear: true,
  instructorNeedsCertificate: true,
  active: true,
} satisfies Prisma.ProgramSelect;

/** Every program, active first, with how many sessions and certifications use it. Districts have a handful. */
export function listPrograms() {
  return prisma.program.findMany({
    orderBy: [{ active: "desc" }, { name: "asc" }],
    select: { ...RULE_SELECT, _count: { select: { sessions: true, certifications: true } } },
  });
}

export function getProgram(id: string) {
  return prisma.program.findUnique({
    where: { id },
    select: { ...RULE_SELECT, updatedAt: true, _count: { select: { sessions: true, certifications: true } } },
  });
}

const duplicateCode = (code: string): FieldErrors => ({ code: `A program with code ${code} already exists` });

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function createProgram(form: NewProgramForm, actorId: string): Promise<Saved<{ id: string }>> {
  if (await prisma.program.findUnique({ where: { code: form.code }, select: { id: true } })) {
    return { ok: false, errors: duplicateCode(form.code) };
  }
  try {
    const program = await prisma.$transaction(async (tx) => {
      const created = await tx.program.create({ data: form, select: { id: true } });
      await recordAudit(tx, { actorId, action: "program.create", entityType: "Program", entityId: created.id, details: form });
      return created;
    });
    return { ok: true, value: program };
  } catch (error) {
    // Another administrator took the code between the check and the insert.
    if (isUniqueViolation(error)) return { ok: false, errors: duplicateCode(form.code) };
    throw error;
  }
}

type RuleField = keyof ProgramRulesForm;
const RULE_FIELDS: RuleField[] = [
  "name", "description", "audience", "validityMonths", "renewalWindowDays", "requiresAttendance",
  "requiresPostWork", "requiresEvaluation", "maxParticipants", "reminderDays", "renewalGuidance",
  "instructorCoursesPerYear", "instructorNeedsCertificate", "active",
];

/**
 * Saves a program's rules and audits each changed field as [before, after]. Returns the
 * names of the fields that changed, or null when there is no such program.
 * Certificates already issued keep their expiry date; see session-closing.server.ts.
 */
export async function updateProgramRules(id: string, form: ProgramRulesForm, actorId: string): Promise<{ changed: string[] } | null> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.program.findUnique({ where: { id }, select: RULE_SELECT });
    if (!before) return null;
    const changes: Record<string, [unknown, unknown]> = {};
    for (const field of RULE_FIELDS) {
      if (before[field] !== form[field]) changes[field] = [before[field], form[field]];
    }
    const changed = Object.keys(changes);
    // Saving an unchanged form writes nothing, so the audit trail holds only real changes.
    if (changed.length === 0) return { changed };
    await tx.program.update({ where: { id }, data: form });
    await recordAudit(tx, { actorId, action: "program.update", entityType: "Program", entityId: id, details: changes });
    return { changed };
  });
}
