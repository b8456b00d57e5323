/**
 * Every raw SQL statement of the reminder pass, in one place. Raw because the pass needs what
 * the Prisma API does not say directly: keyset pages over an index, multi-row
 * INSERT ... ON CONFLICT DO NOTHING, and a conditional UPDATE whose row count is the claim.
 *
 * Portable to PostgreSQL: identifiers are double-quoted (Prisma's camelCase names), enum values
 * are SQL literals (PostgreSQL casts them to the enum type; a bound text parameter it would not),
 * ON CONFLICT without a target is valid in both, and dates are bound parameters.
 */
import { prisma } from "~/db.server";
import { indexedBy } from "~/db/dialect.server";
import { Prisma } from "~/generated/prisma/client";

type Keyset = { date: Date; id: string } | null;
type Db = Pick<typeof prisma, "$queryRaw">;

/**
 * A page size as SQL text, not a bound parameter: with LIMIT bound, SQLite's ORDER BY ... LIMIT
 * over the candidate range took 1.2 s a page of 1,000 instead of 40 ms (measured on the bench).
 * Only a positive integer gets through, so nothing else can reach the SQL.
 */
function limitSql(limit: number): Prisma.Sql {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`Invalid page size: ${limit}`);
  return Prisma.raw(String(limit));
}

export type CandidateCertificationRow = { id: string; issuedOn: Date; expiresOn: Date };

/**
 * One page of a program's certifications that are not renewed and expire in [from, to], in
 * (expiresOn, id) order after `after`. Reads the (programId, expiresOn) index, so the cost is the
 * size of the range, never of the table.
 */
export function selectCandidateCertifications(args: {
  programId: string;
  from: Date;
  to: Date;
  after: Keyset;
  limit: number;
}): Promise<CandidateCertificationRow[]> {
  const { programId, from, to, after, limit } = args;
  const afterClause = after
    ? Prisma.sql`AND ("expiresOn" > ${after.date} OR ("expiresOn" = ${after.date} AND "id" > ${after.id}))`
    : Prisma.empty;
  // Through (programId, expiresOn) by name on SQLite: once ANALYZE statistics exist, SQLite reads the
  // unique renewedById index as if "renewedById IS NULL" matched 2 rows, when it matches nearly every
  // certificate, and a next-day pass took 1.4 s instead of 50 ms at district scale.
  return prisma.$queryRaw<CandidateCertificationRow[]>`
    SELECT "id", "issuedOn", "expiresOn"
    FROM "Certification" ${indexedBy("Certification_programId_expiresOn_idx")}
    WHERE "programId" = ${programId}
      AND "expiresOn" >= ${from} AND "expiresOn" <= ${to}
      AND "renewedById" IS NULL
      AND "revokedAt" IS NULL
      ${afterClause}
    ORDER BY "expiresOn", "id"
    LIMIT ${limitSql(limit)}`;
}

export type ExistingDeliveryRow = { id: string; certificationId: string; daysBefore: number; status: string; attempts: number };

/** The reminder rows these certifications already have (the planning step's lookup, one page at a time). */
export function selectDeliveriesOf(certificationIds: string[]): Promise<ExistingDeliveryRow[]> {
  if (certificationIds.length === 0) return Promise.resolve([]);
  return prisma.$queryRaw<ExistingDeliveryRow[]>`
    SELECT "id", "certificationId", "daysBefore", "status", "attempts"
    FROM "ReminderDelivery"
    WHERE "certificationId" IN (${Prisma.join(certificationIds)})`;
}

export type NewDeliveryRow = { id: string; certificationId: string; daysBefore: number; dueOn: Date };

const INSERT_CHUNK = 500; // 7 parameters a row, far below SQLite's and PostgreSQL's limits

/**
 * Inserts reminder rows, ignoring those that already exist (unique certificationId + daysBefore),
 * so two passes planning the same reminder create it once. Returns how many were inserted.
 */
export async function insertDeliveries(rows: NewDeliveryRow[], status: "PENDING" | "SKIPPED", now: Date): Promise<number> {
  const statusLiteral = status === "PENDING" ? Prisma.sql`'PENDING'` : Prisma.sql`'SKIPPED'`;
  let inserted = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const values = rows
      .slice(i, i + INSERT_CHUNK)
      .map((r) => Prisma.sql`(${r.id}, ${r.certificationId}, ${r.daysBefore}, ${r.dueOn}, ${statusLiteral}, 0, ${now})`);
    inserted += await prisma.$executeRaw`
      INSERT INTO "ReminderDelivery" ("id", "certificationId", "daysBefore", "dueOn", "status", "attempts", "createdAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT DO NOTHING`;
  }
  return inserted;
}

/** A renewed or revoked certification gets no more reminders: its waiting and failed ones are skipped. */
export function skipDeliveriesOfRenewedCertifications(): Promise<number> {
  return prisma.$executeRaw`
    UPDATE "ReminderDelivery" SET "status" = 'SKIPPED'
    WHERE "status" IN ('PENDING', 'FAILED')
      AND EXISTS (
        SELECT 1 FROM "Certification" c
        WHERE c."id" = "ReminderDelivery"."certificationId" AND (c."renewedById" IS NOT NULL OR c."revokedAt" IS NOT NULL)
      )`;
}

/** What a sendable row is: waiting, failed but with attempts left, or claimed by a pass that has gone quiet. */
function claimable(maxAttempts: number, staleBefore: Date, alias: Prisma.Sql) {
  return Prisma.sql`(
    ${alias}"status" = 'PENDING'
    OR (${alias}"status" = 'FAILED' AND ${alias}"attempts" < ${maxAttempts})
    OR (${alias}"status" = 'SENDING' AND ${alias}"claimedAt" < ${staleBefore})
  )`;
}

export type DueDeliveryRow = {
  id: string;
  daysBefore: number;
  dueOn: Date;
  certificationId: string;
  expiresOn: Date | null;
  personId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  remindersOptOutAt: Date | null;
  language: string;
  programName: string;
  renewalWindowDays: number | null;
  renewalGuidance: string;
};

/**
 * One page of sendable reminders due in [from, today], with what the email needs, in
 * (dueOn, id) order after `after`. Reads the (status, dueOn) index: SENT and SKIPPED history,
 * however large, is never scanned.
 */
export function selectDueDeliveries(args: {
  from: Date;
  today: Date;
  staleBefore: Date;
  maxAttempts: number;
  after: Keyset;
  limit: number;
}): Promise<DueDeliveryRow[]> {
  const { from, today, staleBefore, maxAttempts, after, limit } = args;
  const afterClause = after
    ? Prisma.sql`AND (d."dueOn" > ${after.date} OR (d."dueOn" = ${after.date} AND d."id" > ${after.id}))`
    : Prisma.empty;
  return prisma.$queryRaw<DueDeliveryRow[]>`
    SELECT d."id", d."daysBefore", d."dueOn", d."certificationId",
           c."expiresOn", p."id" AS "personId", p."firstName", p."lastName", p."email", p."remindersOptOutAt", p."language",
           g."name" AS "programName", g."renewalWindowDays", g."renewalGuidance"
    FROM "ReminderDelivery" d
    JOIN "Certification" c ON c."id" = d."certificationId"
    JOIN "Person" p ON p."id" = c."personId"
    JOIN "Program" g ON g."id" = c."programId"
    WHERE d."status" IN ('PENDING', 'FAILED', 'SENDING')
      AND d."dueOn" >= ${from} AND d."dueOn" <= ${today}
      AND ${claimable(maxAttempts, staleBefore, Prisma.raw('d.'))}
      ${afterClause}
    ORDER BY d."dueOn", d."id"
    LIMIT ${limitSql(limit)}`;
}

/**
 * Claims one reminder for this pass: a single conditional UPDATE, so when two passes race for
 * the same row exactly one sees a count of 1, and only that one sends. A row of a certification
 * renewed in the meantime is not claimed.
 */
export function claimDelivery(args: { id: string; passId: string; now: Date; staleBefore: Date; maxAttempts: number }): Promise<number> {
  const { id, passId, now, staleBefore, maxAttempts } = args;
  return prisma.$executeRaw`
    UPDATE "ReminderDelivery" SET "status" = 'SENDING', "claimedBy" = ${passId}, "claimedAt" = ${now}
    WHERE "id" = ${id}
      AND ${claimable(maxAttempts, staleBefore, Prisma.empty)}
      AND EXISTS (
        SELECT 1 FROM "Certification" c
        WHERE c."id" = "ReminderDelivery"."certificationId" AND c."renewedById" IS NULL AND c."revokedAt" IS NULL
      )`;
}

/**
 * Claims a page of reminders at once (the outbox channel, where nothing slow happens between
 * the claim and the write): one conditional UPDATE, so each row goes to exactly one pass.
 * Returns the ids this pass now holds.
 */
export async function claimDeliveries(args: { ids: string[]; passId: string; now: Date; staleBefore: Date; maxAttempts: number }): Promise<Set<string>> {
  const { ids, passId, now, staleBefore, maxAttempts } = args;
  if (ids.length === 0) return new Set();
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    UPDATE "ReminderDelivery" SET "status" = 'SENDING', "claimedBy" = ${passId}, "claimedAt" = ${now}
    WHERE "id" IN (${Prisma.join(ids)})
      AND ${claimable(maxAttempts, staleBefore, Prisma.empty)}
      AND EXISTS (
        SELECT 1 FROM "Certification" c
        WHERE c."id" = "ReminderDelivery"."certificationId" AND c."renewedById" IS NULL AND c."revokedAt" IS NULL
      )
    RETURNING "id"`;
  return new Set(rows.map((r) => r.id));
}

/**
 * Marks reminders SENT, but only those this pass still holds (never another pass's outcome).
 * Returns the ids it marked; run inside the transaction that writes their outbox messages.
 */
export async function markClaimedSent(db: Db, args: { ids: string[]; passId: string; now: Date; channel: "outbox" | "none" }): Promise<string[]> {
  const { ids, passId, now, channel } = args;
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    UPDATE "ReminderDelivery" SET "status" = 'SENT', "sentAt" = ${now}, "channel" = ${channel}
    WHERE "id" IN (${Prisma.join(ids)}) AND "claimedBy" = ${passId} AND "status" = 'SENDING'
    RETURNING "id"`;
  return rows.map((r) => r.id);
}
