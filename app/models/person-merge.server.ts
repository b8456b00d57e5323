/**
 * Merging two records of one human, and undoing it (docs/domain.md, People and identity: "let a
 * human merge duplicates, keeping every record"). A merge moves nothing: the merged record keeps
 * its enrollments, certificates and memberships and points at the survivor (`mergedIntoId`), which
 * reach already counts as one person (docs/decisions/005-reach-rollups.md). Records merged earlier
 * into the merged one are re-pointed to the survivor, so there are never chains. The survivor gets
 * the merged record's district ID and email only where it has none; `PersonMerge.copied` records
 * every field the merge changed, so undo restores exactly that. A user account linked to the
 * merged record (User.personId) is left as it is: that person's /me page keeps showing that record.
 */
import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import { orderedPair } from "~/domain/duplicates";
import { recordAudit } from "~/models/audit.server";

type Tx = Prisma.TransactionClient;

/** A merge or undo that cannot happen, in words for the admin; nothing was written. */
export class MergeRefused extends Error {}

/**
 * What a merge changed, as stored in PersonMerge.copied: the survivor's fields [before, after],
 * the merged record's district ID [before, after] when it moved, and the records re-pointed.
 */
type Copied = {
  email?: [string | null, string];
  districtId?: [string | null, string];
  mergedDistrictId?: [string, null];
  repointed?: string[];
};

function parseCopied(text: string): Copied {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (!value || typeof value !== "object") return {};
  const copied: Copied = {};
  const pair = (v: unknown): [string | null, string] | null =>
    Array.isArray(v) && v.length === 2 && (v[0] === null || typeof v[0] === "string") && typeof v[1] === "string" ? [v[0], v[1]] : null;
  const entries = new Map(Object.entries(value));
  const email = pair(entries.get("email"));
  if (email) copied.email = email;
  const districtId = pair(entries.get("districtId"));
  if (districtId) copied.districtId = districtId;
  const moved = entries.get("mergedDistrictId");
  if (Array.isArray(moved) && typeof moved[0] === "string") copied.mergedDistrictId = [moved[0], null];
  const repointed = entries.get("repointed");
  if (Array.isArray(repointed)) copied.repointed = repointed.filter((id): id is string => typeof id === "string");
  return copied;
}

const nameOf = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`;

/**
 * Merges `mergedId` into `survivorId` in one transaction. Both records are claimed with
 * conditional updates (in id order, so two merges of one pair, either way round, wait for each
 * other rather than deadlock): whichever lands second finds a record already merged and is refused.
 */
export async function mergePeople(input: { survivorId: string; mergedId: string; actorId: string; reason?: string }) {
  const { survivorId, mergedId, actorId } = input;
  if (survivorId === mergedId) throw new MergeRefused("A record cannot be merged into itself.");
  return prisma.$transaction(async (tx) => {
    const people = await tx.person.findMany({
      where: { id: { in: [survivorId, mergedId] } },
      select: { id: true, firstName: true, lastName: true, districtId: true, email: true, mergedIntoId: true },
    });
    const survivor = people.find((p) => p.id === survivorId);
    const merged = people.find((p) => p.id === mergedId);
    if (!survivor || !merged) throw new MergeRefused("One of the two records no longer exists.");
    if (survivor.mergedIntoId) throw new MergeRefused(`${nameOf(survivor)}'s record was itself merged into another record: merge into that one.`);
    if (merged.mergedIntoId) throw new MergeRefused(`${nameOf(merged)}'s record is already merged into another record.`);

    for (const id of orderedPair(survivorId, mergedId)) {
      const claimed = id === mergedId
        ? await tx.person.updateMany({ where: { id, mergedIntoId: null }, data: { mergedIntoId: survivorId } })
        : await tx.person.updateMany({ where: { id, mergedIntoId: null }, data: { updatedAt: new Date() } });
      if (claimed.count !== 1) throw new MergeRefused("One of the two records was merged meanwhile; nothing was changed. Reload the page.");
    }

    const copied: Copied = {};
    const repointed = await tx.person.findMany({ where: { mergedIntoId: mergedId }, select: { id: true } });
    if (repointed.length > 0) {
      await tx.person.updateMany({ where: { mergedIntoId: mergedId }, data: { mergedIntoId: survivorId } });
      copied.repointed = repointed.map((r) => r.id);
    }
    const survivorData: Prisma.PersonUpdateInput = {};
    if (!survivor.email && merged.email) {
      survivorData.email = merged.email;
      copied.email = [survivor.email, merged.email];
    }
    if (!survivor.districtId && merged.districtId) {
      // The column is unique: the merged record gives the ID up first.
      await tx.person.update({ where: { id: mergedId }, data: { districtId: null } });
      survivorData.districtId = merged.districtId;
      copied.districtId = [survivor.districtId, merged.districtId];
      copied.mergedDistrictId = [merged.districtId, null];
    }
    if (Object.keys(survivorData).length > 0) await tx.person.update({ where: { id: survivorId }, data: survivorData });

    const merge = await tx.personMerge.create({
      data: { survivorId, mergedId, reason: input.reason ?? "", copied: JSON.stringify(copied), mergedById: actorId },
    });
    const details = { mergeId: merge.id, survivorId, mergedId, reason: input.reason ?? "", copied };
    await recordAudit(tx, { actorId, action: "person.merge", entityType: "Person", entityId: mergedId, details: { ...details, side: "merged" } });
    await recordAudit(tx, { actorId, action: "person.merge", entityType: "Person", entityId: survivorId, details: { ...details, side: "survivor" } });
    return { mergeId: merge.id, copied };
  });
}

/**
 * Undoes a merge: the merged record is live again, the records the merge re-pointed point at it
 * again, and the survivor gives back the email and district ID it was given, unless someone has
 * changed them since (then they stay, and the result says so). Refused if already undone.
 */
export async function undoMerge(input: { mergeId: string; actorId: string }) {
  const { mergeId, actorId } = input;
  return prisma.$transaction(async (tx) => {
    const merge = await tx.personMerge.findUnique({ where: { id: mergeId } });
    if (!merge) throw new MergeRefused("There is no such merge.");
    const claimed = await tx.personMerge.updateMany({ where: { id: mergeId, undoneAt: null }, data: { undoneAt: new Date(), undoneById: actorId } });
    if (claimed.count !== 1) throw new MergeRefused("This merge was undone already.");
    const copied = parseCopied(merge.copied);
    const kept: string[] = [];

    const survivor = await tx.person.findUniqueOrThrow({ where: { id: merge.survivorId }, select: { email: true, districtId: true, mergedIntoId: true } });
    // Where this merge's records point now: the survivor, or whatever the survivor was merged into since.
    const pointingHere = { in: [merge.survivorId, ...(survivor.mergedIntoId ? [survivor.mergedIntoId] : [])] };
    await tx.person.updateMany({ where: { id: merge.mergedId, mergedIntoId: pointingHere }, data: { mergedIntoId: null } });
    if (copied.repointed?.length) {
      // Only those still pointing here: one whose own merge was undone (and perhaps merged elsewhere) since is left alone.
      await tx.person.updateMany({ where: { id: { in: copied.repointed }, mergedIntoId: pointingHere }, data: { mergedIntoId: merge.mergedId } });
    }
    const survivorData: Prisma.PersonUpdateInput = {};
    if (copied.email) {
      if (survivor.email === copied.email[1]) survivorData.email = copied.email[0];
      else kept.push("email");
    }
    if (copied.districtId) {
      if (survivor.districtId === copied.districtId[1]) survivorData.districtId = copied.districtId[0];
      else kept.push("district ID");
    }
    if (Object.keys(survivorData).length > 0) await tx.person.update({ where: { id: merge.survivorId }, data: survivorData });
    if (copied.mergedDistrictId && survivorData.districtId !== undefined) {
      await tx.person.update({ where: { id: merge.mergedId }, data: { districtId: copied.mergedDistrictId[0] } });
    }
    const details = { mergeId, survivorId: merge.survivorId, mergedId: merge.mergedId, kept };
    await recordAudit(tx, { actorId, action: "person.unmerge", entityType: "Person", entityId: merge.mergedId, details: { ...details, side: "merged" } });
    await recordAudit(tx, { actorId, action: "person.unmerge", entityType: "Person", entityId: merge.survivorId, details: { ...details, side: "survivor" } });
    return { survivorId: merge.survivorId, mergedId: merge.mergedId, kept };
  });
}

/** One merge, for its page: both records by name (administrators see everyone), who did it, what it copied. */
export async function getMerge(mergeId: string) {
  const merge = await prisma.personMerge.findUnique({
    where: { id: mergeId },
    select: {
      id: true, reason: true, copied: true, createdAt: true, undoneAt: true, mergedById: true, undoneById: true,
      survivor: { select: { id: true, firstName: true, lastName: true, districtId: true } },
      merged: { select: { id: true, firstName: true, lastName: true, districtId: true, mergedIntoId: true } },
    },
  });
  if (!merge) return null;
  const userIds = [merge.mergedById, merge.undoneById].filter((id): id is string => id !== null);
  const users = new Map((await prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const copied = parseCopied(merge.copied);
  return {
    id: merge.id,
    reason: merge.reason,
    createdAt: merge.createdAt,
    undoneAt: merge.undoneAt,
    mergedBy: merge.mergedById ? (users.get(merge.mergedById) ?? "Unknown") : "System",
    undoneBy: merge.undoneById ? (users.get(merge.undoneById) ?? "Unknown") : null,
    survivor: merge.survivor,
    merged: merge.merged,
    copied: { email: copied.email?.[1] ?? null, districtId: copied.districtId?.[1] ?? null, repointed: copied.repointed?.length ?? 0 },
  };
}

/** Merges a record took part in (either side), newest first, for its page. Administrators only. */
export function listMergesOf(personId: string) {
  return prisma.personMerge.findMany({
    where: { OR: [{ survivorId: personId }, { mergedId: personId }] },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      id: true, createdAt: true, undoneAt: true, survivorId: true, mergedId: true,
      survivor: { select: { firstName: true, lastName: true } },
      merged: { select: { firstName: true, lastName: true } },
    },
  });
}
