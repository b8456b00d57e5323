import { randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import { ignoringCase, lockForTransaction } from "~/db/dialect.server";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";
import type { Saved } from "~/models/region.server";
import type { CheckedRow, SchoolRow } from "~/domain/csv-rows";
import { SCHOOL_LEVEL_LABELS, schoolLevelWord, type SchoolLevelName } from "~/domain/school";
import type { EditSchoolForm, NewSchoolForm } from "~/forms/school";
import type { FieldErrors } from "~/utils/forms";

type Db = Prisma.TransactionClient | typeof prisma;

export const SCHOOLS_PER_PAGE = 50;

export type SchoolSearch = { q: string; regionId: string | null; level: SchoolLevelName | null; page: number };

/** One page of schools matching a code or name, optionally in one region and at one level. */
export async function searchSchools(search: SchoolSearch) {
  const where: Prisma.SchoolWhereInput = {
    ...(search.q ? { OR: [{ code: { contains: search.q, ...ignoringCase() } }, { name: { contains: search.q, ...ignoringCase() } }] } : {}),
    ...(search.regionId ? { regionId: search.regionId } : {}),
    ...(search.level ? { level: search.level } : {}),
  };
  const total = await prisma.school.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / SCHOOLS_PER_PAGE));
  // A page past the end (an old link, a hand-typed URL) shows the last page rather than nothing.
  const page = Math.min(search.page, pageCount);
  const schools = await prisma.school.findMany({
    where,
    orderBy: [{ name: "asc" }, { code: "asc" }],
    skip: (page - 1) * SCHOOLS_PER_PAGE,
    take: SCHOOLS_PER_PAGE,
    select: { id: true, code: true, name: true, level: true, active: true, region: { select: { code: true, name: true } } },
  });
  return { schools, total, page, pageCount };
}

/** A school with its region and its headcounts, newest year first. */
export function getSchool(id: string) {
  return prisma.school.findUnique({
    where: { id },
    select: {
      id: true,
      code: true,
      name: true,
      level: true,
      active: true,
      regionId: true,
      region: { select: { code: true, name: true } },
      headcounts: { orderBy: { schoolYear: "desc" }, select: { schoolYear: true, staffCount: true, studentCount: true, updatedAt: true } },
    },
  });
}

const duplicateCode = (code: string): FieldErrors => ({ code: `A school with code ${code} already exists` });
const unknownRegion: FieldErrors = { regionId: "Choose a region from the list" };

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function createSchool(form: NewSchoolForm, actorId: string): Promise<Saved<{ id: string }>> {
  const errors: FieldErrors = {};
  if (!(await prisma.region.findUnique({ where: { id: form.regionId }, select: { id: true } }))) Object.assign(errors, unknownRegion);
  if (await prisma.school.findUnique({ where: { code: form.code }, select: { id: true } })) Object.assign(errors, duplicateCode(form.code));
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  try {
    const school = await prisma.$transaction(async (tx) => {
      const created = await tx.school.create({
        data: { code: form.code, name: form.name, level: form.level, regionId: form.regionId },
        select: { id: true },
      });
      await recordAudit(tx, { actorId, action: "school.create", entityType: "School", entityId: created.id, details: form });
      return created;
    });
    return { ok: true, value: school };
  } catch (error) {
    // Another administrator took the code between the check and the insert.
    if (isUniqueViolation(error)) return { ok: false, errors: duplicateCode(form.code) };
    throw error;
  }
}

/** Returns null when the school does not exist. */
export async function updateSchool(id: string, form: EditSchoolForm, actorId: string): Promise<Saved<{ id: string }> | null> {
  const current = await prisma.school.findUnique({
    where: { id },
    select: { code: true, name: true, level: true, regionId: true, active: true },
  });
  if (!current) return null;
  const errors: FieldErrors = {};
  if (!(await prisma.region.findUnique({ where: { id: form.regionId }, select: { id: true } }))) Object.assign(errors, unknownRegion);
  const clash = await prisma.school.findUnique({ where: { code: form.code }, select: { id: true } });
  if (clash && clash.id !== id) Object.assign(errors, duplicateCode(form.code));
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of ["code", "name", "level", "regionId", "active"] as const) {
    if (current[field] !== form[field]) changes[field] = { from: current[field], to: form[field] };
  }
  if (Object.keys(changes).length === 0) return { ok: true, value: { id } };
  try {
    await prisma.$transaction(async (tx) => {
      await tx.school.update({
        where: { id },
        data: { code: form.code, name: form.name, level: form.level, regionId: form.regionId, active: form.active },
      });
      await recordAudit(tx, { actorId, action: "school.update", entityType: "School", entityId: id, details: changes });
    });
    return { ok: true, value: { id } };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: duplicateCode(form.code) };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// CSV import

export type SchoolImportAction = "create" | "update" | "unchanged" | "error";
export type SchoolChange = { field: "name" | "region" | "level"; from: string; to: string };

export type SchoolImportRow = {
  line: number;
  action: SchoolImportAction;
  code: string;
  name: string;
  region: string;
  level: string;
  changes: SchoolChange[];
  errors: string[];
};

export type ImportCounts = { create: number; update: number; unchanged: number; error: number };
export type SchoolImportPreview = { rows: SchoolImportRow[]; counts: ImportCounts };

type RegionRef = { id: string; code: string; name: string };

/** Finds a region named in a file by its code (exactly, then ignoring case) or by its name (ignoring case). */
function regionFinder(regions: RegionRef[]) {
  const group = (key: (r: RegionRef) => string) => {
    const map = new Map<string, RegionRef[]>();
    for (const region of regions) map.set(key(region), [...(map.get(key(region)) ?? []), region]);
    return map;
  };
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const byLowerCode = group((r) => r.code.toLowerCase());
  const byLowerName = group((r) => r.name.trim().toLowerCase());
  return (text: string): { region: RegionRef } | { error: string } => {
    const exact = byCode.get(text);
    if (exact) return { region: exact };
    const lower = text.toLowerCase();
    const candidates = [
      { by: "code", matches: byLowerCode.get(lower) ?? [] },
      { by: "name", matches: byLowerName.get(lower) ?? [] },
    ];
    for (const { by, matches } of candidates) {
      if (matches.length === 1) return { region: matches[0] };
      if (matches.length > 1) return { error: `matches ${matches.length} regions by ${by}; use the exact region code` };
    }
    return { error: "is not the code or name of a region" };
  };
}

/** Runs `find` over `items` in batches, keeping each query under SQLite's bound-variable limit. */
async function inBatches<T, R>(items: T[], find: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const found: R[] = [];
  for (let start = 0; start < items.length; start += 500) found.push(...(await find(items.slice(start, start + 500))));
  return found;
}

const regionLabel = (region: { code: string; name: string }) => `${region.name} (${region.code})`;
const levelLabel = (level: SchoolLevelName) => `${SCHOOL_LEVEL_LABELS[level]} (${schoolLevelWord(level)})`;

async function planSchoolImport(db: Db, rows: Array<CheckedRow<SchoolRow>>) {
  const findRegion = regionFinder(await db.region.findMany({ select: { id: true, code: true, name: true } }));
  const codes = rows.flatMap((row) => (row.value ? [row.value.code] : []));
  const existing = new Map(
    (
      await inBatches(codes, (batch) =>
        db.school.findMany({
          where: { code: { in: batch } },
          select: { id: true, code: true, name: true, level: true, regionId: true, region: { select: { code: true, name: true } } },
        }),
      )
    ).map((school) => [school.code, school]),
  );

  const writes: Array<{ kind: "create" | "update"; code: string; data: { name: string; level: SchoolLevelName; regionId: string } }> = [];
  const previewRows = rows.map((row): SchoolImportRow => {
    const shown = {
      line: row.line,
      code: row.cells.code ?? "",
      name: row.cells.name ?? "",
      region: row.cells.region ?? "",
      level: row.cells.level ?? "",
    };
    const errors = [...row.errors];
    const value = row.value;
    if (!value) return { ...shown, action: "error", changes: [], errors };
    const found = findRegion(value.region);
    if ("error" in found) {
      errors.push(`Line ${row.line}: region "${value.region}" ${found.error}`);
      return { ...shown, action: "error", changes: [], errors };
    }
    const region = found.region;
    const data = { name: value.name, level: value.level, regionId: region.id };
    const view = { ...shown, region: regionLabel(region), level: levelLabel(value.level) };
    const current = existing.get(value.code);
    if (!current) {
      writes.push({ kind: "create", code: value.code, data });
      return { ...view, action: "create", changes: [], errors };
    }
    const changes: SchoolChange[] = [];
    if (current.name !== value.name) changes.push({ field: "name", from: current.name, to: value.name });
    if (current.regionId !== region.id) changes.push({ field: "region", from: regionLabel(current.region), to: regionLabel(region) });
    if (current.level !== value.level) changes.push({ field: "level", from: levelLabel(current.level), to: levelLabel(value.level) });
    if (changes.length === 0) return { ...view, action: "unchanged", changes, errors };
    writes.push({ kind: "update", code: value.code, data });
    return { ...view, action: "update", changes, errors };
  });

  const counts: ImportCounts = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const row of previewRows) counts[row.action] += 1;
  return { preview: { rows: previewRows, counts }, writes };
}

/** What importing the rows would do to each school, without writing anything. */
export async function previewSchoolImport(rows: Array<CheckedRow<SchoolRow>>): Promise<SchoolImportPreview> {
  return (await planSchoolImport(prisma, rows)).preview;
}

export type SchoolImportResult = { ok: true; counts: ImportCounts } | { ok: false; preview: SchoolImportPreview };

/**
 * Writes the rows all or nothing: the plan is made again inside the transaction, against the
 * data as it is now, and if any row has an error nothing is written and the plan comes back.
 */
export async function commitSchoolImport(
  rows: Array<CheckedRow<SchoolRow>>,
  actorId: string,
  source: { fileName?: string | null } = {},
): Promise<SchoolImportResult> {
  return prisma.$transaction(
    async (tx): Promise<SchoolImportResult> => {
      // Two files at once (two instances) would both plan "create" for a new code: one plans after the other commits.
      await lockForTransaction(tx, "school-import");
      const { preview, writes } = await planSchoolImport(tx, rows);
      if (preview.counts.error > 0) return { ok: false, preview };
      const creates = writes.filter((w) => w.kind === "create");
      const updates = writes.filter((w) => w.kind === "update");
      if (creates.length > 0) await tx.school.createMany({ data: creates.map((w) => ({ code: w.code, ...w.data })) });
      for (const update of updates) await tx.school.update({ where: { code: update.code }, data: update.data });
      await recordAudit(tx, {
        actorId,
        action: "school.import",
        // An import is its own event; its id lets the log refer to one file's changes.
        entityType: "SchoolImport",
        entityId: randomUUID(),
        details: {
          fileName: source.fileName ?? null,
          created: preview.counts.create,
          updated: preview.counts.update,
          unchanged: preview.counts.unchanged,
          // The codes, so "who changed this school?" can be answered from the audit log.
          createdCodes: creates.map((w) => w.code),
          updatedCodes: updates.map((w) => w.code),
        },
      });
      return { ok: true, counts: preview.counts };
    },
    // A 20,000-row file takes longer than Prisma's 5-second default.
    { timeout: 120_000, maxWait: 10_000 },
  );
}

const isoDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** Since when the school's safety protocol is in place (Teen MHFA readiness); null when not recorded, or no such school. */
export async function getSafetyProtocol(schoolId: string): Promise<Date | null> {
  const school = await prisma.school.findUnique({ where: { id: schoolId }, select: { safetyProtocolSince: true } });
  return school?.safetyProtocolSince ?? null;
}

/**
 * Records the day a school's safety protocol was in place, or clears it (`since` null). Audited as
 * "school.safety-protocol" with the day before and after; saving the same day again writes nothing.
 * Under a per-school lock, so two saves at once each audit what they really replaced. false: no such school.
 */
export async function recordSafetyProtocol(args: { schoolId: string; since: Date | null; actorId: string }): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lockForTransaction(tx, `school:${args.schoolId}`);
    const school = await tx.school.findUnique({ where: { id: args.schoolId }, select: { safetyProtocolSince: true } });
    if (!school) return false;
    const [before, after] = [isoDay(school.safetyProtocolSince), isoDay(args.since)];
    if (before === after) return true;
    await tx.school.update({ where: { id: args.schoolId }, data: { safetyProtocolSince: args.since } });
    await recordAudit(tx, { actorId: args.actorId, action: "school.safety-protocol", entityType: "School", entityId: args.schoolId, details: { since: after, previous: before } });
    return true;
  });
}
