/**
 * Likely duplicates among people records (docs/domain.md, People and identity): the rules only,
 * no database. Two live records are likely one human when their folded names agree and either
 * their emails agree or their district IDs are one typo apart. A human decides; nothing here merges.
 */
import { foldName } from "~/domain/roster-import";

export type DuplicateReason = "same-email" | "id-typo";

export const DUPLICATE_REASON_WORDS: Record<DuplicateReason, string> = {
  "same-email": "Same name and email",
  "id-typo": "Same name, district IDs one typo apart",
};

/** A pair of record ids in the order DuplicateDismissal stores them (personAId < personBId). */
export function orderedPair(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

export const pairKey = (x: string, y: string) => orderedPair(x, y).join("|");

/** First and last name folded together: case, accents and extra spaces do not count. */
export const foldedFullName = (p: { firstName: string; lastName: string }) => `${foldName(p.firstName)}|${foldName(p.lastName)}`;

/**
 * Two district IDs one typo apart: one character changed, added or dropped, or two adjacent
 * characters swapped. Letter case alone counts as a typo too ("e1234" / "E1234"). Equal IDs are not
 * a typo (the column is unique, so two records never share one).
 */
export function districtIdsOneTypoApart(a: string, b: string): boolean {
  if (a === b) return false;
  const [x, y] = [a.toUpperCase(), b.toUpperCase()];
  if (x === y) return true;
  if (Math.abs(x.length - y.length) > 1) return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i += 1;
  if (short.length === long.length) {
    if (short.slice(i + 1) === long.slice(i + 1)) return true; // one changed
    // Two adjacent swapped.
    return i + 1 < short.length && short[i] === long[i + 1] && short[i + 1] === long[i] && short.slice(i + 2) === long.slice(i + 2);
  }
  return short.slice(i) === long.slice(i + 1); // one added or dropped
}

/** Every string made by dropping one character, and the string itself: two IDs one typo apart share one. */
function deletionKeys(id: string): string[] {
  const keys = [id];
  for (let i = 0; i < id.length; i += 1) keys.push(id.slice(0, i) + id.slice(i + 1));
  return keys;
}

export type DuplicateCandidate = { id: string; firstName: string; lastName: string; districtId: string | null; email: string | null };

/** Groups this size or smaller are compared pair by pair; larger ones through shared deletion keys. */
const SMALL_GROUP = 12;

/** The pairs of one group of namesakes whose IDs are one typo apart. */
function typoPairsAmong(group: ReadonlyArray<{ id: string; districtId: string }>, out: Map<string, [string, string]>) {
  const check = (a: { id: string; districtId: string }, b: { id: string; districtId: string }) => {
    if (a.id !== b.id && districtIdsOneTypoApart(a.districtId, b.districtId)) out.set(pairKey(a.id, b.id), orderedPair(a.id, b.id));
  };
  if (group.length <= SMALL_GROUP) {
    for (let i = 0; i < group.length; i += 1) for (let j = i + 1; j < group.length; j += 1) check(group[i], group[j]);
    return;
  }
  // Linear in the group: only IDs that share a one-deletion key can be one typo apart.
  const buckets = new Map<string, Array<{ id: string; districtId: string }>>();
  for (const p of group) {
    for (const key of new Set(deletionKeys(p.districtId.toUpperCase()))) {
      const list = buckets.get(key);
      if (list) list.push(p);
      else buckets.set(key, [p]);
    }
  }
  for (const list of buckets.values()) for (let i = 0; i < list.length; i += 1) for (let j = i + 1; j < list.length; j += 1) check(list[i], list[j]);
}

/**
 * Pairs among the people whose folded names agree and whose district IDs are one typo apart,
 * each pair in id order. Namesakes are grouped first (each distinct spelling folded once); a
 * large group of namesakes is not compared pair by pair.
 */
export function districtIdTypoPairs(people: readonly DuplicateCandidate[]): Array<[string, string]> {
  const folded = new Map<string, string>();
  const groups = new Map<string, Array<{ id: string; districtId: string }>>();
  for (const p of people) {
    if (!p.districtId) continue;
    const spelled = `${p.firstName}\u0000${p.lastName}`;
    let name = folded.get(spelled);
    if (name === undefined) {
      name = foldedFullName(p);
      folded.set(spelled, name);
    }
    const group = groups.get(name);
    if (group) group.push({ id: p.id, districtId: p.districtId });
    else groups.set(name, [{ id: p.id, districtId: p.districtId }]);
  }
  const pairs = new Map<string, [string, string]>();
  for (const group of groups.values()) if (group.length > 1) typoPairsAmong(group, pairs);
  return [...pairs.values()];
}

/** Pairs among people who share one email (case-insensitive) and whose folded names agree, each in id order. */
export function sameNameAndEmailPairs(people: readonly DuplicateCandidate[]): Array<[string, string]> {
  const groups = new Map<string, DuplicateCandidate[]>();
  for (const p of people) {
    if (!p.email) continue;
    const k = `${p.email.trim().toLowerCase()}#${foldedFullName(p)}`;
    const list = groups.get(k);
    if (list) list.push(p);
    else groups.set(k, [p]);
  }
  const pairs: Array<[string, string]> = [];
  for (const list of groups.values()) {
    for (let i = 0; i < list.length; i += 1) for (let j = i + 1; j < list.length; j += 1) pairs.push(orderedPair(list[i].id, list[j].id));
  }
  return pairs;
}
