import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";
import type { RegionForm } from "~/forms/region";
import type { FieldErrors } from "~/utils/forms";

export type Saved<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** All regions with how many schools each has, by code. Districts have tens of regions, not thousands. */
export function listRegionsWithCounts() {
  return prisma.region.findMany({
    orderBy: { code: "asc" },
    select: { id: true, code: true, name: true, _count: { select: { schools: true } } },
  });
}

/** Regions for a select list. */
export function listRegionOptions() {
  return prisma.region.findMany({ orderBy: { name: "asc" }, select: { id: true, code: true, name: true } });
}

export function getRegion(id: string) {
  return prisma.region.findUnique({
    where: { id },
    select: { id: true, code: true, name: true, _count: { select: { schools: true } } },
  });
}

const duplicateCode = (code: string): FieldErrors => ({ code: `A region with code ${code} already exists` });

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function createRegion(form: RegionForm, actorId: string): Promise<Saved<{ id: string }>> {
  if (await prisma.region.findUnique({ where: { code: form.code }, select: { id: true } })) {
    return { ok: false, errors: duplicateCode(form.code) };
  }
  try {
    const region = await prisma.$transaction(async (tx) => {
      const created = await tx.region.create({ data: { code: form.code, name: form.name }, select: { id: true } });
      await recordAudit(tx, { actorId, action: "region.create", entityType: "Region", entityId: created.id, details: form });
      return created;
    });
    return { ok: true, value: region };
  } catch (error) {
    // Another administrator took the code between the check and the insert.
    if (isUniqueViolation(error)) return { ok: false, errors: duplicateCode(form.code) };
    throw error;
  }
}

/** Returns null when the region does not exist. */
export async function updateRegion(id: string, form: RegionForm, actorId: string): Promise<Saved<{ id: string }> | null> {
  const current = await prisma.region.findUnique({ where: { id }, select: { id: true, code: true, name: true } });
  if (!current) return null;
  const clash = await prisma.region.findUnique({ where: { code: form.code }, select: { id: true } });
  if (clash && clash.id !== id) return { ok: false, errors: duplicateCode(form.code) };

  const changes: Record<string, { from: string; to: string }> = {};
  if (current.code !== form.code) changes.code = { from: current.code, to: form.code };
  if (current.name !== form.name) changes.name = { from: current.name, to: form.name };
  if (Object.keys(changes).length === 0) return { ok: true, value: { id } };
  try {
    await prisma.$transaction(async (tx) => {
      await tx.region.update({ where: { id }, data: { code: form.code, name: form.name } });
      await recordAudit(tx, { actorId, action: "region.update", entityType: "Region", entityId: id, details: changes });
    });
    return { ok: true, value: { id } };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: duplicateCode(form.code) };
    throw error;
  }
}
