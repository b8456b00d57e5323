import { randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";
import type { CheckedRow, HeadcountRow } from "~/domain/csv-rows";
import { formatSchoolYear } from "~/domain/school-year";

type Db = Prisma.TransactionClient | typeof prisma;

export const HEADCOUNTS_PER_PAGE = 50;

/** The school years that have any headcount, newest first. */
export async function listHeadcountYears(): Promise<number[]> {
  const years = await prisma.headcount.findMany({ distinct: ["schoolYear"], select: { schoolYear: true }, orderBy: { schoolYear: "desc" } });
  return years.map((y) => y.schoolYear);
}

/** One page of a year's headcounts by school, with the year's totals. */
export async function listHeadcounts({ schoolYear, page }: { schoolYear: number; page: number }) {
  const where = { schoolYear };
  const [total, sums] = await Promise.all([
    prisma.headcount.count({ where }),
    prisma.headcount.aggregate({ where, _sum: { staffCount: true, studentCount: true } }),
  ]);
  const pageCount = Math.max(1, Math.ceil(total / HEADCOUNTS_PER_PAGE));
  const current = Math.min(page, pageCount);
  const headcounts = await prisma.headcount.findMany({
    where,
    orderBy: [{ school: { name: "asc" } }, { school: { code: "asc" } }],
    skip: (current - 1) * HEADCOUNTS_PER_PAGE,
    take: HEADCOUNTS_PER_PAGE,
    select: {
      id: true,
      staffCount: true,
      studentCount: true,
      updatedAt: true,
      school: { select: { id: true, code: true, name: true } },
    },
  });
  return {
    headcounts,
    total,
    page: current,
    pageCount,
    totals: { staff: sums._sum.staffCount ?? 0, students: sums._sum.studentCount ?? 0 },
  };
}

// ---------------------------------------------------------------------------------------------
// CSV import

export type HeadcountImportAction = "new" | "change" | "unchanged" | "error";
export type CountChange = { from: number | null; to: number };

export type HeadcountImportRow = {
  line: number;
  action: HeadcountImportAction;
  schoolCode: string;
  schoolName: string | null;
  schoolYear: string;
  staff: CountChange | null;
  students: CountChange | null;
  errors: string[];
};

export type HeadcountImportCounts = { new: number; change: number; unchanged: number; error: number };
export type HeadcountImportPreview = { rows: HeadcountImportRow[]; counts: HeadcountImportCounts };

/** Runs `find` over `items` in batches, keeping each query under SQLite's bound-variable limit. */
async function inBatches<T, R>(items: T[], find: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const found: R[] = [];
  for (let start = 0; start < items.length; start += 500) found.push(...(await find(items.slice(start, start + 500))));
  return found;
}

const keyOf = (schoolId: string, schoolYear: number) => `${schoolId}:${schoolYear}`;

async function planHeadcountImport(db: Db, rows: Array<CheckedRow<HeadcountRow>>) {
  const codes = [...new Set(rows.flatMap((row) => (row.value ? [row.value.schoolCode] : [])))];
  const schools = new Map(
    (await inBatches(codes, (batch) => db.school.findMany({ where: { code: { in: batch } }, select: { id: true, code: true, name: true } }))).map(
      (school) => [school.code, school],
    ),
  );
  const years = [...new Set(rows.flatMap((row) => (row.value ? [row.value.schoolYear] : [])))];
  const existing = new Map(
    (
      await inBatches([...schools.values()].map((s) => s.id), (batch) =>
        db.headcount.findMany({
          where: { schoolId: { in: batch }, schoolYear: { in: years } },
          select: { id: true, schoolId: true, schoolYear: true, staffCount: true, studentCount: true },
        }),
      )
    ).map((h) => [keyOf(h.schoolId, h.schoolYear), h]),
  );

  const creates: Prisma.HeadcountCreateManyInput[] = [];
  const updates: Array<{ id: string; schoolCode: string; schoolYear: number; staffCount: number; studentCount: number }> = [];
  const previewRows = rows.map((row): HeadcountImportRow => {
    const shown = { line: row.line, schoolCode: row.cells.school_code ?? "", schoolName: null, schoolYear: row.cells.school_year ?? "" };
    const errors = [...row.errors];
    const value = row.value;
    if (!value) return { ...shown, action: "error", staff: null, students: null, errors };
    const school = schools.get(value.schoolCode);
    if (!school) {
      errors.push(`Line ${row.line}: school_code "${value.schoolCode}" is not the code of a school`);
      return { ...shown, action: "error", staff: null, students: null, errors };
    }
    const view = { ...shown, schoolName: school.name, schoolYear: formatSchoolYear(value.schoolYear) };
    const current = existing.get(keyOf(school.id, value.schoolYear));
    const staff = { from: current?.staffCount ?? null, to: value.staffCount };
    const students = { from: current?.studentCount ?? null, to: value.studentCount };
    if (!current) {
      creates.push({ schoolId: school.id, schoolYear: value.schoolYear, staffCount: value.staffCount, studentCount: value.studentCount });
      return { ...view, action: "new", staff, students, errors };
    }
    if (current.staffCount === value.staffCount && current.studentCount === value.studentCount) {
      return { ...view, action: "unchanged", staff, students, errors };
    }
    updates.push({ id: current.id, ...value });
    return { ...view, action: "change", staff, students, errors };
  });

  const counts: HeadcountImportCounts = { new: 0, change: 0, unchanged: 0, error: 0 };
  for (const row of previewRows) counts[row.action] += 1;
  return { preview: { rows: previewRows, counts }, creates, updates };
}

/** What importing the rows would do to each school's headcount for the year, without writing anything. */
export async function previewHeadcountImport(rows: Array<CheckedRow<HeadcountRow>>): Promise<HeadcountImportPreview> {
  return (await planHeadcountImport(prisma, rows)).preview;
}

export type HeadcountImportResult = { ok: true; counts: HeadcountImportCounts } | { ok: false; preview: HeadcountImportPreview };

/**
 * Upserts the rows on (school, school year) all or nothing: the plan is made again inside the
 * transaction, and if any row has an error nothing is written and the plan comes back.
 */
export async function commitHeadcountImport(
  rows: Array<CheckedRow<HeadcountRow>>,
  actorId: string,
  source: { fileName?: string | null } = {},
): Promise<HeadcountImportResult> {
  return prisma.$transaction(
    async (tx): Promise<HeadcountImportResult> => {
      const { preview, creates, updates } = await planHeadcountImport(tx, rows);
      if (preview.counts.error > 0) return { ok: false, preview };
      if (creates.length > 0) await tx.headcount.createMany({ data: creates });
      for (const update of updates) {
        await tx.headcount.update({ where: { id: update.id }, data: { staffCount: update.staffCount, studentCount: update.studentCount } });
      }
      await recordAudit(tx, {
        actorId,
        action: "headcount.import",
        // An import is its own event; its id lets the log refer to one file's changes.
        entityType: "HeadcountImport",
        entityId: randomUUID(),
        details: {
          fileName: source.fileName ?? null,
          created: preview.counts.new,
          changed: preview.counts.change,
          unchanged: preview.counts.unchanged,
          years: [...new Set(rows.flatMap((row) => (row.value ? [row.value.schoolYear] : [])))].sort(),
          changedRows: updates.map((u) => `${u.schoolCode} ${formatSchoolYear(u.schoolYear)}`),
        },
      });
      return { ok: true, counts: preview.counts };
    },
    // A 20,000-row file takes longer than Prisma's 5-second default.
    { timeout: 120_000, maxWait: 10_000 },
  );
}
