/**
 * Importing instructor certifications from a CSV (issue 14): each row names a person (district ID or
 * email), the program it licenses them to teach, its dates and source. Preview first; the commit
 * plans again inside one transaction and writes every row or none, audited per certification (the
 * person's trail shows it as recorded) and once for the file.
 */
import { randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { lockForTransaction } from "~/db/dialect.server";
import { recordAudit } from "~/models/audit.server";
import type { CheckedRow } from "~/domain/csv-rows";
import type { InstructorImportRow } from "~/domain/instructor-import";

type Db = Prisma.TransactionClient | typeof prisma;

export type InstructorImportAction = "new" | "already-recorded" | "error";

export type InstructorImportPreviewRow = {
  line: number;
  action: InstructorImportAction;
  /** As written in the file, to show it back. */
  who: string;
  personName: string | null;
  programCode: string;
  issuedOn: string;
  expiresOn: string;
  errors: string[];
};

export type InstructorImportCounts = { new: number; alreadyRecorded: number; error: number };
export type InstructorImportPreview = { rows: InstructorImportPreviewRow[]; counts: InstructorImportCounts };

type PersonMatch = { id: string; firstName: string; lastName: string; kind: string; districtId: string | null; email: string | null };
type NewCertification = { personId: string; programId: string; issuedOn: Date; expiresOn: Date | null; source: string; evidenceNote: string | null };

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

async function inBatches<T, R>(items: T[], find: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const found: R[] = [];
  for (let start = 0; start < items.length; start += 500) found.push(...(await find(items.slice(start, start + 500))));
  return found;
}

const personSelect = { id: true, firstName: true, lastName: true, kind: true, districtId: true, email: true } as const;

async function planInstructorImport(db: Db, rows: Array<CheckedRow<InstructorImportRow>>) {
  const values = rows.flatMap((r) => (r.value ? [r.value] : []));
  const districtIds = [...new Set(values.flatMap((v) => (v.districtId ? [v.districtId] : [])))];
  // Emails are matched without regard to case: the file's are lower-cased, the directory's may not be.
  const emails = [...new Set(values.flatMap((v) => (v.email ? [v.email] : [])))];
  const codes = [...new Set(values.map((v) => v.programCode))];
  const [byDistrictId, withEmails, programs] = await Promise.all([
    inBatches(districtIds, (batch) => db.person.findMany({ where: { districtId: { in: batch }, mergedIntoId: null }, select: personSelect })),
    inBatches(emails, (batch) => db.$queryRaw<PersonMatch[]>`
      SELECT "id", "firstName", "lastName", CAST("kind" AS TEXT) AS "kind", "districtId", "email"
      FROM "Person" WHERE "mergedIntoId" IS NULL AND LOWER(TRIM("email")) IN (${Prisma.join(batch)})`),
    // Programs are few; their codes match whatever the case.
    codes.length > 0 ? db.program.findMany({ select: { id: true, code: true, active: true } }) : [],
  ]);
  const people = new Map<string, PersonMatch>(byDistrictId.map((p) => [p.districtId ?? "", p]));
  const peopleByEmail = new Map<string, PersonMatch[]>();
  for (const p of withEmails) {
    const key = (p.email ?? "").trim().toLowerCase();
    peopleByEmail.set(key, [...(peopleByEmail.get(key) ?? []), p]);
  }
  const programByCode = new Map(programs.map((p) => [p.code.toUpperCase(), p]));

  const matched = new Map<number, { person: PersonMatch; programId: string }>();
  const previewRows = rows.map((row): InstructorImportPreviewRow => {
    const who = [row.cells.district_id?.trim(), row.cells.email?.trim()].filter(Boolean).join(" / ");
    const shown = { line: row.line, who, personName: null, programCode: row.cells.program_code?.trim() ?? "", issuedOn: row.cells.issued_on?.trim() ?? "", expiresOn: row.cells.expires_on?.trim() ?? "" };
    const errors = [...row.errors];
    const v = row.value;
    if (!v) return { ...shown, action: "error", errors };
    let person: PersonMatch | null = null;
    if (v.districtId) {
      person = people.get(v.districtId) ?? null;
      if (!person) errors.push(`Line ${row.line}: district_id "${v.districtId}" is not anyone's district ID`);
      else if (v.email && (person.email ?? "").trim().toLowerCase() !== v.email) {
        errors.push(`Line ${row.line}: email "${v.email}" is not the email of district_id "${v.districtId}"`);
      }
    } else if (v.email) {
      const found = peopleByEmail.get(v.email) ?? [];
      if (found.length === 0) errors.push(`Line ${row.line}: email "${v.email}" is not anyone's email`);
      else if (found.length > 1) errors.push(`Line ${row.line}: email "${v.email}" belongs to ${found.length} people; give the district_id instead`);
      else person = found[0];
    }
    if (person?.kind === "STUDENT") {
      errors.push(`Line ${row.line}: ${v.districtId ? "district_id" : "email"} names a student; instructor certifications are for trainers`);
      person = null;
    }
    const program = programByCode.get(v.programCode);
    if (!program) errors.push(`Line ${row.line}: program_code "${v.programCode}" is not the code of a program`);
    else if (!program.active) errors.push(`Line ${row.line}: program_code "${program.code}" is a retired program`);
    const view = { ...shown, personName: person ? `${person.firstName} ${person.lastName}` : null, programCode: program?.code ?? v.programCode, issuedOn: isoDay(v.issuedOn), expiresOn: v.expiresOn ? isoDay(v.expiresOn) : "" };
    if (errors.length > 0 || !person || !program) return { ...view, action: "error", errors };
    matched.set(row.line, { person, programId: program.id });
    return { ...view, action: "new", errors };
  });

  // The same (person, program, issue date) already recorded: left as it is, not recorded twice.
  const personIds = [...new Set([...matched.values()].map((m) => m.person.id))];
  const existing = new Set(
    (await inBatches(personIds, (batch) => db.instructorCertification.findMany({ where: { personId: { in: batch } }, select: { personId: true, programId: true, issuedOn: true } })))
      .map((c) => `${c.personId}:${c.programId}:${isoDay(c.issuedOn)}`),
  );
  const creates: NewCertification[] = [];
  const seen = new Map<string, number>();
  for (const previewRow of previewRows) {
    const m = matched.get(previewRow.line);
    const row = rows.find((r) => r.line === previewRow.line);
    if (!m || !row?.value) continue;
    const key = `${m.person.id}:${m.programId}:${isoDay(row.value.issuedOn)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      previewRow.action = "error";
      previewRow.errors.push(`Line ${previewRow.line}: the same certification for ${previewRow.personName} is on line ${first} too`);
      continue;
    }
    seen.set(key, previewRow.line);
    if (existing.has(key)) {
      previewRow.action = "already-recorded";
      continue;
    }
    creates.push({ personId: m.person.id, programId: m.programId, issuedOn: row.value.issuedOn, expiresOn: row.value.expiresOn, source: row.value.source, evidenceNote: row.value.evidenceNote });
  }

  const counts: InstructorImportCounts = { new: 0, alreadyRecorded: 0, error: 0 };
  for (const r of previewRows) {
    if (r.action === "new") counts.new += 1;
    else if (r.action === "already-recorded") counts.alreadyRecorded += 1;
    else counts.error += 1;
  }
  return { preview: { rows: previewRows, counts }, creates };
}

/** What importing the rows would record, without writing anything. */
export async function previewInstructorImport(rows: Array<CheckedRow<InstructorImportRow>>): Promise<InstructorImportPreview> {
  return (await planInstructorImport(prisma, rows)).preview;
}

export type InstructorImportResult = { ok: true; counts: InstructorImportCounts } | { ok: false; preview: InstructorImportPreview };

/** Records every new row, or none when any row has an error (the plan is made again inside the transaction). */
export async function commitInstructorImport(
  rows: Array<CheckedRow<InstructorImportRow>>,
  actorId: string,
  source: { fileName?: string | null } = {},
): Promise<InstructorImportResult> {
  return prisma.$transaction(
    async (tx): Promise<InstructorImportResult> => {
      // The per-person locks the one-at-a-time form takes too, so neither records a certification twice.
      const ids = [...new Set((await planInstructorImport(tx, rows)).creates.map((c) => c.personId))].sort();
      for (const id of ids) await lockForTransaction(tx, `instructor-certifications:${id}`);
      const { preview, creates } = await planInstructorImport(tx, rows);
      if (preview.counts.error > 0) return { ok: false, preview };
      const importId = randomUUID();
      for (const c of creates) {
        const cert = await tx.instructorCertification.create({ data: { ...c, recordedById: actorId }, select: { id: true } });
        await recordAudit(tx, {
          actorId, action: "instructor-certification.record", entityType: "InstructorCertification", entityId: cert.id,
          details: {
            personId: c.personId, programId: c.programId, issuedOn: isoDay(c.issuedOn), expiresOn: c.expiresOn ? isoDay(c.expiresOn) : null,
            source: c.source, evidenceNote: c.evidenceNote, importId,
          },
        });
      }
      await recordAudit(tx, {
        actorId, action: "instructor-certification.import", entityType: "InstructorCertificationImport", entityId: importId,
        details: { fileName: source.fileName ?? null, created: preview.counts.new, alreadyRecorded: preview.counts.alreadyRecorded },
      });
      return { ok: true, counts: preview.counts };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
