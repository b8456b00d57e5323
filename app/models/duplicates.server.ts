/**
 * The duplicates queue (/people/duplicates, administrators only): pairs of live records that are
 * likely one human, and directory imports' rows held for review. The grouping is done in SQL on
 * SQL (emails in lower case; names on the (lastName, firstName) index), so only people who share an
 * email or a name reach this process; the pure rules (app/domain/duplicates.ts) then pair them
 * (names folded: case and accents). The SQL is plain enough for SQLite and PostgreSQL both.
 * Measured at 600,000 people with a quarter of them sharing a name with someone (SQLite, this
 * machine, shared CPU): about 1.5 s for a page of the queue, most of it the namesakes query.
 *
 * Limit of the name grouping: namesakes for the ID-typo check must be spelled alike as stored
 * ("JOSE" and "José" are paired only when they share an email): the price of grouping on the index.
 */
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import {
  districtIdTypoPairs, orderedPair, pairKey, sameNameAndEmailPairs, type DuplicateCandidate, type DuplicateReason,
} from "~/domain/duplicates";
import { recordAudit } from "~/models/audit.server";

export const PAIRS_PER_PAGE = 25;

type NamedId = { id: string; firstName: string; lastName: string };

/**
 * Live records that share an email (letter case aside) with another record, for the domain to
 * pair by name. The demo seed, like sign-in sheets, has the same address typed in another case,
 * so the grouping is on LOWER(email): one read of the table, with only the groups' members returned.
 */
async function sharingAnEmail(): Promise<DuplicateCandidate[]> {
  return prisma.$queryRaw<DuplicateCandidate[]>`
    SELECT p."id", p."firstName", p."lastName", p."districtId", p."email"
    FROM "Person" p
    WHERE p."mergedIntoId" IS NULL AND p."email" IS NOT NULL
      AND LOWER(p."email") IN (SELECT LOWER("email") FROM "Person" WHERE "email" IS NOT NULL GROUP BY LOWER("email") HAVING COUNT(*) > 1)`;
}

/**
 * Live records with a district ID who share their name with another record: the candidates for an
 * ID typo. Grouped on the (lastName, firstName) index as stored: an index-only scan, where
 * grouping by LOWER() would read and sort the whole table (about 2.5 times slower at 600,000).
 */
async function namesakesWithIds(): Promise<DuplicateCandidate[]> {
  return prisma.$queryRaw<DuplicateCandidate[]>`
    SELECT p."id", p."firstName", p."lastName", p."districtId", p."email"
    FROM (SELECT "lastName", "firstName" FROM "Person" GROUP BY "lastName", "firstName" HAVING COUNT(*) > 1) g
    JOIN "Person" p ON p."lastName" = g."lastName" AND p."firstName" = g."firstName"
    WHERE p."districtId" IS NOT NULL AND p."mergedIntoId" IS NULL`;
}

export type QueuedPair = { a: string; b: string; reasons: DuplicateReason[]; sortName: string };

/** Every likely pair not dismissed, sorted by name, with why. */
export async function likelyPairs(): Promise<QueuedPair[]> {
  const [emailSharers, namesakes, dismissals] = await Promise.all([
    sharingAnEmail(),
    namesakesWithIds(),
    prisma.duplicateDismissal.findMany({ select: { personAId: true, personBId: true } }),
  ]);
  const dismissed = new Set(dismissals.map((d) => pairKey(d.personAId, d.personBId)));
  const pairs = new Map<string, QueuedPair>();
  const add = (x: NamedId, y: NamedId, reason: DuplicateReason) => {
    const key = pairKey(x.id, y.id);
    if (dismissed.has(key)) return;
    const found = pairs.get(key);
    if (found) {
      if (!found.reasons.includes(reason)) found.reasons.push(reason);
      return;
    }
    const [a, b] = orderedPair(x.id, y.id);
    pairs.set(key, { a, b, reasons: [reason], sortName: `${x.lastName} ${x.firstName}`.toLowerCase() });
  };
  const sharerById = new Map(emailSharers.map((p) => [p.id, p]));
  for (const [x, y] of sameNameAndEmailPairs(emailSharers)) {
    const [px, py] = [sharerById.get(x), sharerById.get(y)];
    if (px && py) add(px, py, "same-email");
  }
  const byId = new Map(namesakes.map((p) => [p.id, p]));
  for (const [x, y] of districtIdTypoPairs(namesakes)) {
    const [px, py] = [byId.get(x), byId.get(y)];
    if (px && py) add(px, py, "id-typo");
  }
  return [...pairs.values()].sort((p, q) => p.sortName.localeCompare(q.sortName) || p.a.localeCompare(q.a));
}

const heldRowsWhere = { outcome: "REVIEW", reviewState: "OPEN", import: { status: "COMMITTED" } } as const satisfies Prisma.DirectoryImportRowWhereInput;

const personCard = {
  id: true, firstName: true, lastName: true, districtId: true, email: true, kind: true, createdAt: true,
  _count: { select: { enrollments: true, certifications: true } },
} as const satisfies Prisma.PersonSelect;

/** One page of the queue: pairs of records, or imports' held rows; with the counts of both. */
export async function duplicateQueue(show: "people" | "imports", page: number) {
  const [pairs, heldRows] = await Promise.all([likelyPairs(), prisma.directoryImportRow.count({ where: heldRowsWhere })]);
  const counts = {
    pairs: pairs.length,
    sameEmail: pairs.filter((p) => p.reasons.includes("same-email")).length,
    idTypo: pairs.filter((p) => p.reasons.includes("id-typo")).length,
    heldRows,
  };
  const total = show === "people" ? counts.pairs : counts.heldRows;
  const pageCount = Math.max(1, Math.ceil(total / PAIRS_PER_PAGE));
  const current = Math.min(page, pageCount);
  if (show === "imports") {
    const rows = await prisma.directoryImportRow.findMany({
      where: heldRowsWhere,
      orderBy: [{ importId: "asc" }, { line: "asc" }],
      skip: (current - 1) * PAIRS_PER_PAGE,
      take: PAIRS_PER_PAGE,
      select: {
        id: true, file: true, line: true, reason: true, districtId: true, firstName: true, lastName: true, email: true, personId: true,
        import: { select: { schoolYear: true, createdAt: true } },
      },
    });
    const people = await prisma.person.findMany({ where: { id: { in: rows.flatMap((r) => (r.personId ? [r.personId] : [])) } }, select: personCard });
    const byId = new Map(people.map((p) => [p.id, p]));
    return { counts, page: current, pageCount, pairs: [], rows: rows.map((r) => ({ ...r, person: r.personId ? (byId.get(r.personId) ?? null) : null })) };
  }
  const slice = pairs.slice((current - 1) * PAIRS_PER_PAGE, current * PAIRS_PER_PAGE);
  const people = await prisma.person.findMany({ where: { id: { in: slice.flatMap((p) => [p.a, p.b]) } }, select: personCard });
  const byId = new Map(people.map((p) => [p.id, p]));
  const shown = slice.flatMap((p) => {
    const [a, b] = [byId.get(p.a), byId.get(p.b)];
    return a && b ? [{ a, b, reasons: p.reasons }] : [];
  });
  return { counts, page: current, pageCount, pairs: shown, rows: [] };
}

/** "Not the same person": the pair is not offered again. Saying it twice is harmless. */
export async function dismissPair(x: string, y: string, actorId: string) {
  const [personAId, personBId] = orderedPair(x, y);
  try {
    await prisma.$transaction(async (tx) => {
      await tx.duplicateDismissal.create({ data: { personAId, personBId, dismissedById: actorId } });
      for (const [id, other] of [[personAId, personBId], [personBId, personAId]]) {
        await recordAudit(tx, { actorId, action: "person.not-duplicate", entityType: "Person", entityId: id, details: { otherId: other } });
      }
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return;
    throw error;
  }
}

export function isDismissed(x: string, y: string) {
  const [personAId, personBId] = orderedPair(x, y);
  return prisma.duplicateDismissal.findUnique({ where: { personAId_personBId: { personAId, personBId } }, select: { id: true } }).then((d) => d !== null);
}
