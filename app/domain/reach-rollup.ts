/**
 * The arithmetic behind the reach rollup (docs/decisions/005-reach-rollups.md). Pure: no database.
 *
 * Every reach figure counts distinct people of a kind, affiliated with a scope in a school year, for
 * whom something is true on the as-of day D: "holds a current certificate", "their certificate runs
 * out within 90 days", "was trained this school year", "was ever trained". For one person and one
 * program each of these is true on a set of days that is a union of intervals [start, end), fixed by
 * the person's certificates whatever D is. So the count on D is a running sum of +1 (an interval
 * starts) and -1 (it ends) over the days up to D, and the rollup stores that running sum per scope,
 * per day on which it changes. A figure is then one index seek per scope, however many records.
 *
 * Counting rules, as everywhere in reach:
 * - a revoked certificate (issued by mistake) counts for nothing, on any day;
 * - current on D: a certificate issued on or before D and not expired on D (expiresOn after D);
 * - a renewal or a second training never double counts: a person's intervals are merged first;
 * - a person at two schools counts at both schools, once in a region and once in the district.
 *
 * Days are whole days since 1970-01-01 UTC. Stored dates are 00:00 UTC; a time of day, if any, is
 * read as the SQL comparisons read it (issuedOn <= D 00:00, expiresOn > D 00:00): the day is rounded up.
 */
import { schoolYearOf } from "./school-year";

export const DAY_MS = 86_400_000;
/** "Expiring" means the person's cover ends within this many days of the as-of day. */
export const EXPIRING_WINDOW_DAYS = 90;

export const ROLLUP_KINDS = ["STAFF", "STUDENT", "COMMUNITY"] as const;
export type RollupKind = (typeof ROLLUP_KINDS)[number];
export const ROLLUP_MEASURES = ["current", "expiring", "year", "ever"] as const;
export type RollupMeasure = (typeof ROLLUP_MEASURES)[number];

/** The rollup's count columns, kind by kind: index = kind * 4 + measure. */
export const ROLLUP_COLUMNS = [
  "staffCurrent", "staffExpiring", "staffYear", "staffEver",
  "studentCurrent", "studentExpiring", "studentYear", "studentEver",
  "communityCurrent", "communityExpiring", "communityYear", "communityEver",
] as const;
export type RollupColumn = (typeof ROLLUP_COLUMNS)[number];
export const COLUMN_COUNT = ROLLUP_COLUMNS.length;

export type RollupLevel = "S" | "R" | "D";
/** schoolYear 0 in the rollup: "trained while at the scope", over all school years (the *Year columns). */
export const ALL_TIME_YEAR = 0;

export function columnIndex(kind: RollupKind, measure: RollupMeasure): number {
  return ROLLUP_KINDS.indexOf(kind) * 4 + ROLLUP_MEASURES.indexOf(measure);
}

export function isRollupKind(value: string): value is RollupKind {
  return (ROLLUP_KINDS as readonly string[]).includes(value);
}

/** The as-of day as a day number. */
export function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

/** A stored instant as the first day on which "<= D 00:00" holds: midnight stays, a time of day rounds up. */
export function dayOnOrAfter(value: Date | string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Math.ceil(ms / DAY_MS);
}

export type CertificateDays = {
  programId: string;
  /** First day the certificate counts (issued on or before it). */
  start: number;
  /** First day it no longer counts (expired on it); null: never expires. */
  end: number | null;
  /** The school year the certificate was issued in. */
  schoolYear: number;
};

export function certificateDays(cert: { programId: string; issuedOn: Date | string; expiresOn: Date | string | null }): CertificateDays {
  const issued = cert.issuedOn instanceof Date ? cert.issuedOn : new Date(cert.issuedOn);
  return {
    programId: cert.programId,
    start: dayOnOrAfter(issued),
    end: cert.expiresOn == null ? null : dayOnOrAfter(cert.expiresOn),
    schoolYear: schoolYearOf(issued),
  };
}

/** One interval of days on which a measure holds for a person; `schoolYear` only for "year" (else 0). */
export type Span = { programId: string; measure: RollupMeasure; schoolYear: number; start: number; end: number | null };

type Interval = { start: number; end: number }; // end Infinity: open

/** Sorted, merged union: [1,5) and [5,9) touch, so they merge (current on day 5 through the second). */
export function unionOf(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** a minus b, both sorted and disjoint. */
export function differenceOf(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const piece of a) {
    let start = piece.start;
    const end = piece.end;
    while (j < b.length && b[j].end <= start) j += 1;
    let k = j;
    while (k < b.length && b[k].start < end) {
      if (b[k].start > start) out.push({ start, end: b[k].start });
      start = Math.max(start, b[k].end);
      if (start >= end) break;
      k += 1;
    }
    if (start < end) out.push({ start, end });
  }
  return out;
}

const toEnd = (end: number | null) => (end == null ? Infinity : end);
const fromEnd = (end: number) => (end === Infinity ? null : end);

/**
 * A person's spans for every program, from all their certificates (the merged duplicates' too):
 * - current: the union of [issued, expires);
 * - expiring: current, but no certificate that holds on the day runs past day + 90 — the union of
 *   [issued, expires - 90) taken away from current;
 * - ever: from the first certificate on;
 * - year: per school year with a certificate issued in it, from the first one in that year on.
 */
export function spansOf(certs: CertificateDays[]): Span[] {
  const byProgram = new Map<string, CertificateDays[]>();
  for (const c of certs) {
    const list = byProgram.get(c.programId);
    if (list) list.push(c);
    else byProgram.set(c.programId, [c]);
  }
  const spans: Span[] = [];
  for (const [programId, list] of [...byProgram.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const current = unionOf(list.map((c) => ({ start: c.start, end: toEnd(c.end) })));
    const safe = unionOf(list.map((c) => ({ start: c.start, end: c.end == null ? Infinity : c.end - EXPIRING_WINDOW_DAYS })));
    for (const i of current) spans.push({ programId, measure: "current", schoolYear: 0, start: i.start, end: fromEnd(i.end) });
    for (const i of differenceOf(current, safe)) spans.push({ programId, measure: "expiring", schoolYear: 0, start: i.start, end: fromEnd(i.end) });
    spans.push({ programId, measure: "ever", schoolYear: 0, start: Math.min(...list.map((c) => c.start)), end: null });
    const firstInYear = new Map<number, number>();
    for (const c of list) firstInYear.set(c.schoolYear, Math.min(firstInYear.get(c.schoolYear) ?? Infinity, c.start));
    for (const [schoolYear, start] of [...firstInYear.entries()].sort((a, b) => a[0] - b[0])) {
      spans.push({ programId, measure: "year", schoolYear, start, end: null });
    }
  }
  return spans;
}

export type Membership = { schoolYear: number; schoolId: string; regionId: string };

/** What the rollup counts for one person: kind, schools by year, spans. */
export type PersonState = { kind: RollupKind; members: Membership[]; spans: Span[] };

/** Calls `emit` for every +1/-1 the person adds to the rollup (sign -1: takes the person out). */
export function forEachEvent(
  state: PersonState,
  sign: 1 | -1,
  emit: (schoolYear: number, programId: string, level: RollupLevel, scopeId: string, day: number, column: number, delta: number) => void,
): void {
  const kind = ROLLUP_KINDS.indexOf(state.kind);
  if (kind < 0 || state.members.length === 0 || state.spans.length === 0) return;
  // Distinct scopes per school year: a person at two schools of a region is one person in the region.
  const schoolsIn = new Map<number, Set<string>>();
  const regionsIn = new Map<number, Set<string>>();
  const yearsAtSchool = new Map<string, number[]>();
  const yearsInRegion = new Map<string, number[]>();
  for (const m of state.members) {
    addTo(schoolsIn, m.schoolYear, m.schoolId);
    addTo(regionsIn, m.schoolYear, m.regionId);
    pushTo(yearsAtSchool, m.schoolId, m.schoolYear);
    pushTo(yearsInRegion, m.regionId, m.schoolYear);
  }
  const years = [...schoolsIn.keys()];
  const both = (y: number, programId: string, level: RollupLevel, scopeId: string, column: number, start: number, end: number | null) => {
    emit(y, programId, level, scopeId, start, column, sign);
    if (end != null) emit(y, programId, level, scopeId, end, column, -sign);
  };
  // "Trained while at the scope, all time": the first training in a year the person was there.
  const yearStarts = new Map<string, Map<number, number>>(); // programId -> school year -> first day
  for (const s of state.spans) {
    const column = kind * 4 + ROLLUP_MEASURES.indexOf(s.measure);
    if (s.measure === "year") {
      let starts = yearStarts.get(s.programId);
      if (!starts) yearStarts.set(s.programId, (starts = new Map()));
      starts.set(s.schoolYear, s.start);
    }
    const spanYears = s.measure === "year" ? (schoolsIn.has(s.schoolYear) ? [s.schoolYear] : []) : years;
    for (const y of spanYears) {
      for (const school of schoolsIn.get(y) ?? []) both(y, s.programId, "S", school, column, s.start, s.end);
      for (const region of regionsIn.get(y) ?? []) both(y, s.programId, "R", region, column, s.start, s.end);
      both(y, s.programId, "D", "", column, s.start, s.end);
    }
  }
  const yearColumn = kind * 4 + ROLLUP_MEASURES.indexOf("year");
  const firstWhile = (starts: Map<number, number>, at: number[]) => {
    let first = Infinity;
    for (const y of at) first = Math.min(first, starts.get(y) ?? Infinity);
    return first;
  };
  for (const [programId, starts] of yearStarts) {
    for (const [school, at] of yearsAtSchool) {
      const first = firstWhile(starts, at);
      if (first !== Infinity) emit(ALL_TIME_YEAR, programId, "S", school, first, yearColumn, sign);
    }
    for (const [region, at] of yearsInRegion) {
      const first = firstWhile(starts, at);
      if (first !== Infinity) emit(ALL_TIME_YEAR, programId, "R", region, first, yearColumn, sign);
    }
    const first = firstWhile(starts, years);
    if (first !== Infinity) emit(ALL_TIME_YEAR, programId, "D", "", first, yearColumn, sign);
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V) {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/* ---------- Person states from rows, and their stored form ---------- */

export type PersonRecordRow = { id: string; kind: string; mergedIntoId: string | null };
export type AffiliationRow = { personId: string; schoolYear: number; schoolId: string; regionId: string };
/** revokedAt set: issued by mistake, and counted nowhere (as if it had never been issued). */
export type CertificationRow = { personId: string; programId: string; issuedOn: Date | string; expiresOn: Date | string | null; revokedAt?: Date | string | null };

/**
 * The state of each person ("who": the record duplicates were merged into) from their records,
 * affiliations and certificates. `whos` lists every person to compute; one with no record (deleted,
 * or merged away) gets no state. The kind is the kept record's.
 */
export function statesOf(whos: Iterable<string>, records: PersonRecordRow[], affiliations: AffiliationRow[], certs: CertificationRow[]): Map<string, PersonState> {
  const whoOf = new Map<string, string>();
  const kindOf = new Map<string, RollupKind>();
  for (const r of records) {
    whoOf.set(r.id, r.mergedIntoId ?? r.id);
    if (r.mergedIntoId == null && isRollupKind(r.kind)) kindOf.set(r.id, r.kind);
  }
  const members = new Map<string, Map<string, Membership>>();
  for (const a of affiliations) {
    const who = whoOf.get(a.personId);
    if (!who) continue;
    let list = members.get(who);
    if (!list) members.set(who, (list = new Map()));
    list.set(`${a.schoolYear}|${a.schoolId}`, { schoolYear: a.schoolYear, schoolId: a.schoolId, regionId: a.regionId });
  }
  const certDays = new Map<string, CertificateDays[]>();
  for (const c of certs) {
    if (c.revokedAt != null) continue;
    const who = whoOf.get(c.personId);
    if (!who) continue;
    const list = certDays.get(who);
    const days = certificateDays(c);
    if (list) list.push(days);
    else certDays.set(who, [days]);
  }
  const states = new Map<string, PersonState>();
  for (const who of whos) {
    const kind = kindOf.get(who);
    if (!kind) continue;
    const m = [...(members.get(who)?.values() ?? [])].sort((a, b) => a.schoolYear - b.schoolYear || cmp(a.schoolId, b.schoolId));
    const spans = spansOf(certDays.get(who) ?? []);
    if (m.length === 0 || spans.length === 0) continue;
    states.set(who, { kind, members: m, spans });
  }
  return states;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const MEASURE_CODES: Record<RollupMeasure, string> = { current: "c", expiring: "x", year: "y", ever: "e" };
const MEASURE_OF: Record<string, RollupMeasure> = { c: "current", x: "expiring", y: "year", e: "ever" };

/** The stored form (ReachPersonState.state): compact JSON. */
export function encodeState(state: PersonState): string {
  return JSON.stringify({
    k: state.kind,
    m: state.members.map((m) => [m.schoolYear, m.schoolId, m.regionId]),
    s: state.spans.map((s) => [s.programId, MEASURE_CODES[s.measure], s.schoolYear, s.start, s.end]),
  });
}

export function decodeState(text: string): PersonState | null {
  const raw: unknown = JSON.parse(text);
  if (typeof raw !== "object" || raw === null || !("k" in raw) || !("m" in raw) || !("s" in raw)) return null;
  const { k, m, s } = raw;
  if (typeof k !== "string" || !isRollupKind(k) || !Array.isArray(m) || !Array.isArray(s)) return null;
  const members: Membership[] = [];
  for (const row of m) {
    if (Array.isArray(row) && typeof row[0] === "number" && typeof row[1] === "string" && typeof row[2] === "string") {
      members.push({ schoolYear: row[0], schoolId: row[1], regionId: row[2] });
    }
  }
  const spans: Span[] = [];
  for (const row of s) {
    if (!Array.isArray(row)) continue;
    const [programId, code, schoolYear, start, end] = row;
    const measure = typeof code === "string" ? MEASURE_OF[code] : undefined;
    if (typeof programId === "string" && measure && typeof schoolYear === "number" && typeof start === "number" && (end === null || typeof end === "number")) {
      spans.push({ programId, measure, schoolYear, start, end });
    }
  }
  return { kind: k, members, spans };
}

/* ---------- Changes to the rollup ---------- */

export type RollupKey = { schoolYear: number; programId: string; level: RollupLevel; scopeId: string };
/** Per rollup key, per day: the change to each column on that day and every later one. */
export type RollupDeltas = Map<string, { key: RollupKey; days: Map<number, Int32Array> }>;

const keyText = (schoolYear: number, programId: string, level: RollupLevel, scopeId: string) => `${schoolYear}\u0001${programId}\u0001${level}\u0001${scopeId}`;

/** What changes when people's states go from `before` to `after` (missing: no state). Zero changes are dropped. */
export function deltasBetween(before: Map<string, PersonState>, after: Map<string, PersonState>): RollupDeltas {
  const deltas: RollupDeltas = new Map();
  const emit = (schoolYear: number, programId: string, level: RollupLevel, scopeId: string, day: number, column: number, delta: number) => {
    const k = keyText(schoolYear, programId, level, scopeId);
    let entry = deltas.get(k);
    if (!entry) deltas.set(k, (entry = { key: { schoolYear, programId, level, scopeId }, days: new Map() }));
    let cols = entry.days.get(day);
    if (!cols) entry.days.set(day, (cols = new Int32Array(COLUMN_COUNT)));
    cols[column] += delta;
  };
  for (const state of before.values()) forEachEvent(state, -1, emit);
  for (const state of after.values()) forEachEvent(state, 1, emit);
  for (const [k, entry] of deltas) {
    for (const [day, cols] of entry.days) if (cols.every((v) => v === 0)) entry.days.delete(day);
    if (entry.days.size === 0) deltas.delete(k);
  }
  return deltas;
}

export type RollupRow = RollupKey & { day: number; counts: Int32Array };

/**
 * The whole rollup from every person's state, for a full rebuild: events are packed into one number
 * each (day * 32 + column * 2 + sign) per key, then sorted and summed into running totals.
 */
export class RollupBuilder {
  private readonly keys: RollupKey[] = [];
  /** Key number by school year, program, level and scope: nested maps, no key text per event. */
  private readonly index = new Map<number, Map<string, Map<string, Map<string, number>>>>();
  private readonly events: Array<{ data: Int32Array; length: number }> = [];
  // The last key looked up: an interval's start and end go to the same key one after the other.
  private lastYear = Number.NaN;
  private lastProgram = "";
  private lastLevel = "";
  private lastScope = "";
  private lastKey = -1;

  private readonly emit = (schoolYear: number, programId: string, level: RollupLevel, scopeId: string, day: number, column: number, delta: number) => {
    let i = this.lastKey;
    if (schoolYear !== this.lastYear || programId !== this.lastProgram || level !== this.lastLevel || scopeId !== this.lastScope) {
      i = this.keyNumber(schoolYear, programId, level, scopeId);
      this.lastYear = schoolYear;
      this.lastProgram = programId;
      this.lastLevel = level;
      this.lastScope = scopeId;
      this.lastKey = i;
    }
    const list = this.events[i];
    if (list.length === list.data.length) {
      const grown = new Int32Array(list.data.length * 2);
      grown.set(list.data);
      list.data = grown;
    }
    list.data[list.length] = day * 32 + column * 2 + (delta > 0 ? 1 : 0);
    list.length += 1;
  };

  private keyNumber(schoolYear: number, programId: string, level: RollupLevel, scopeId: string): number {
    let byProgram = this.index.get(schoolYear);
    if (!byProgram) this.index.set(schoolYear, (byProgram = new Map()));
    let byLevel = byProgram.get(programId);
    if (!byLevel) byProgram.set(programId, (byLevel = new Map()));
    let byScope = byLevel.get(level);
    if (!byScope) byLevel.set(level, (byScope = new Map()));
    let i = byScope.get(scopeId);
    if (i === undefined) {
      i = this.keys.length;
      byScope.set(scopeId, i);
      this.keys.push({ schoolYear, programId, level, scopeId });
      this.events.push({ data: new Int32Array(16), length: 0 });
    }
    return i;
  }

  add(state: PersonState): void {
    forEachEvent(state, 1, this.emit);
  }

  get keyCount(): number {
    return this.keys.length;
  }

  /** Every rollup row, key by key in primary-key order, days ascending. */
  *rows(): Generator<RollupRow> {
    const order = this.keys.map((_, i) => i).sort((a, b) => compareKeys(this.keys[a], this.keys[b]));
    for (const i of order) {
      const key = this.keys[i];
      const list = this.events[i];
      const packed = list.data.subarray(0, list.length).sort();
      const running = new Int32Array(COLUMN_COUNT);
      let p = 0;
      while (p < packed.length) {
        const day = Math.floor(packed[p] / 32);
        while (p < packed.length && Math.floor(packed[p] / 32) === day) {
          const rest = packed[p] % 32;
          running[rest >> 1] += rest & 1 ? 1 : -1;
          p += 1;
        }
        // Written out rather than spread: a spread per row is most of the time over millions of rows.
        yield { schoolYear: key.schoolYear, programId: key.programId, level: key.level, scopeId: key.scopeId, day, counts: running.slice() };
      }
      // Free as we go: a district's events are the largest.
      list.data = new Int32Array(0);
      list.length = 0;
    }
  }
}

function compareKeys(a: RollupKey, b: RollupKey): number {
  return a.schoolYear - b.schoolYear || cmp(a.programId, b.programId) || cmp(a.level, b.level) || cmp(a.scopeId, b.scopeId);
}
