/**
 * The audit trail as a person reads it: audit events (app/models/audit.server.ts) filtered by
 * person, session, certificate, actor, kind and dates, newest first, a page at a time (keyset on
 * createdAt, id), each told in plain words (app/domain/audit-words.ts). Every name an event needs
 * is read in one query per kind, and people pass the visibility rule
 * (app/models/people-visibility.server.ts): one the viewer may not see is "a student".
 */
import { prisma } from "~/db.server";
import { ignoringCase } from "~/db/dialect.server";
import type { Prisma } from "~/generated/prisma/client";
import {
  AUDIT_KINDS, auditSubjects, describeAuditEvent, isAuditKind, parseAuditDetails,
  type AuditContext, type AuditEventInput, type AuditKind, type AuditNames,
} from "~/domain/audit-words";
import { parseCalendarDate } from "~/domain/calendar-date";
import { wallTimeToUtc } from "~/domain/time";
import { isVerificationCode } from "~/domain/verification-code";
import { CERTIFICATE_RECORD_ROLES } from "~/models/people-directory.server";
import { maskPerson, sessionFacts, sessionFactsSelect, visiblePersonSelect, type SeenThrough, type VisibilityViewer } from "~/models/people-visibility.server";

export const AUDIT_PAGE_SIZE = 50;
/** What a hidden person is called inside a sentence. */
export const HIDDEN_PERSON_WORDS = "a student";

export type AuditTrailFilters = {
  personId?: string;
  sessionId?: string;
  certificationId?: string;
  /** Events by any of these users. */
  actorIds?: string[];
  kind?: AuditKind;
  /** Events at or after this instant. */
  fromAt?: Date;
  /** Events before this instant. */
  toBefore?: Date;
};

export type AuditCursor = { createdAt: Date; id: string };

export type AuditEntry = { id: string; at: Date; action: string; kind: string | null; actor: string; words: string };

export type AuditTrailPage = { entries: AuditEntry[]; nextCursor: string | null };

/** How people are seen on the page the trail is on: the rule's "seen through", per person. */
export type AuditSeen =
  | { via: "directory" }
  | { via: "session"; sessionId: string };

// ---- cursor ----

export function encodeCursor(cursor: AuditCursor): string {
  return `${cursor.createdAt.toISOString()}~${cursor.id}`;
}

export function decodeCursor(text: string): AuditCursor | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!match) return null;
  const createdAt = new Date(match[1]);
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: match[2] };
}

// ---- filters ----

export type AuditFilterInput = {
  person?: string; personId?: string; session?: string; sessionId?: string; certificate?: string;
  actor?: string; kind?: string; from?: string; to?: string; before?: string;
};

const FILTER_PARAMS = ["person", "personId", "session", "sessionId", "certificate", "actor", "kind", "from", "to", "before"] as const;

/** The audit page's query string, as typed (trimmed). */
export function auditFilterInput(search: URLSearchParams): Required<AuditFilterInput> {
  const get = (key: (typeof FILTER_PARAMS)[number]) => (search.get(key) ?? "").trim();
  return {
    person: get("person"), personId: get("personId"), session: get("session"), sessionId: get("sessionId"), certificate: get("certificate"),
    actor: get("actor"), kind: get("kind"), from: get("from"), to: get("to"), before: get("before"),
  };
}

export type AuditFilterField = "person" | "session" | "certificate" | "actor" | "kind" | "from" | "to" | "before";

/** A filter that matched several records: the page offers them to choose from. */
export type AuditFilterChoice = { field: "person" | "session"; param: "personId" | "sessionId"; options: Array<{ value: string; label: string }> };

export type ResolvedAuditFilters =
  | { ok: true; filters: AuditTrailFilters; cursor: AuditCursor | null; described: string[]; chosen: { person: string | null; session: string | null } }
  | { ok: false; errors: Partial<Record<AuditFilterField, string>>; choices: AuditFilterChoice[] };

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TEXT = 200;
const CHOICES = 10;

function dayAfter(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

const personName = (p: { firstName: string; lastName: string; districtId: string | null }) =>
  `${p.firstName} ${p.lastName}${p.districtId ? ` (${p.districtId})` : ""}`;

/**
 * The audit page's query string as filters, or a message per bad field (naming it) and, for a
 * person or session that several records match, the records to choose from. For administrators
 * only (the audit page): the person search reads every person.
 */
export async function resolveAuditFilters(input: AuditFilterInput, timeZone: string): Promise<ResolvedAuditFilters> {
  const errors: Partial<Record<AuditFilterField, string>> = {};
  const choices: AuditFilterChoice[] = [];
  const filters: AuditTrailFilters = {};
  const described: string[] = [];
  const chosen: { person: string | null; session: string | null } = { person: null, session: null };
  const text = (value: string | undefined) => (value ?? "").trim();
  const tooLong = (field: AuditFilterField, label: string, value: string) => {
    if (value.length <= MAX_TEXT) return false;
    errors[field] = `${label} must be at most ${MAX_TEXT} characters`;
    return true;
  };

  // Dates: calendar days in the district, "from" through "to" inclusive.
  const from = text(input.from);
  const to = text(input.to);
  const fromDay = from ? parseCalendarDate(from) : null;
  const toDay = to ? parseCalendarDate(to) : null;
  if (fromDay && !fromDay.ok) errors.from = `From date: ${fromDay.problem}`;
  if (toDay && !toDay.ok) errors.to = `To date: ${toDay.problem}`;
  if (fromDay?.ok && toDay?.ok && from > to) errors.to = `To date (${to}) is before the from date (${from}): the to date must be the same day or later`;
  if (fromDay?.ok && !errors.to) {
    filters.fromAt = wallTimeToUtc(from, "00:00", timeZone);
    described.push(`from ${from}`);
  }
  if (toDay?.ok && !errors.to) {
    filters.toBefore = wallTimeToUtc(dayAfter(to), "00:00", timeZone);
    described.push(`to ${to}`);
  }

  const kind = text(input.kind);
  if (kind) {
    if (isAuditKind(kind)) {
      filters.kind = kind;
      described.push(AUDIT_KINDS[kind].label.toLowerCase());
    } else errors.kind = `Kind must be one of: ${Object.keys(AUDIT_KINDS).join(", ")}`;
  }

  const before = text(input.before);
  let cursor: AuditCursor | null = null;
  if (before) {
    cursor = decodeCursor(before);
    if (!cursor) errors.before = "Page: this link to older events is not valid; start again from the newest events";
  }

  // A person: by the record id (a chosen match), district ID or name.
  const personId = text(input.personId);
  const person = text(input.person);
  // Words typed into the field win over a person chosen before (the page keeps the choice in a hidden field).
  if (personId && !person) {
    const found = ID_PATTERN.test(personId) ? await prisma.person.findUnique({ where: { id: personId }, select: { id: true, firstName: true, lastName: true, districtId: true } }) : null;
    if (found) {
      filters.personId = found.id;
      chosen.person = personName(found);
      described.push(`about ${personName(found)}`);
    } else errors.person = "Person: there is no such person";
  } else if (person && !tooLong("person", "Person", person)) {
    const words = person.split(/\s+/).filter(Boolean).slice(0, 4);
    const matches = await prisma.person.findMany({
      where: {
        OR: [
          { districtId: person },
          { AND: words.map((w) => ({ OR: [{ firstName: { contains: w, ...ignoringCase() } }, { lastName: { contains: w, ...ignoringCase() } }] })) },
        ],
      },
      orderBy: [{ lastName: "asc" }, { firstName: "asc" }, { id: "asc" }],
      take: CHOICES + 1,
      select: { id: true, firstName: true, lastName: true, districtId: true },
    });
    const exact = matches.find((m) => m.districtId === person);
    const match = exact ?? (matches.length === 1 ? matches[0] : null);
    if (match) {
      filters.personId = match.id;
      chosen.person = personName(match);
      described.push(`about ${personName(match)}`);
    } else if (matches.length === 0) errors.person = `Person: nobody matches “${person}” (search by name or district ID)`;
    else {
      errors.person = `Person: ${matches.length > CHOICES ? `more than ${CHOICES}` : matches.length} people match “${person}”; choose one below or type more of the name`;
      choices.push({ field: "person", param: "personId", options: matches.slice(0, CHOICES).map((m) => ({ value: m.id, label: personName(m) })) });
    }
  }

  // A session: by id (a link or a chosen match) or words of its title.
  const sessionId = text(input.sessionId);
  const session = text(input.session);
  const sessionLabel = (s: { title: string | null; program: { code: string }; days: Array<{ startsAt: Date }> }) =>
    `${s.title ?? `${s.program.code} session`}${s.days[0] ? ` (${s.days[0].startsAt.toISOString().slice(0, 10)})` : ""}`;
  const sessionSelect = { id: true, title: true, program: { select: { code: true } }, days: { orderBy: { startsAt: "asc" }, take: 1, select: { startsAt: true } } } as const;
  if (sessionId || session) {
    const idGiven = session || sessionId;
    const byId = ID_PATTERN.test(idGiven) ? await prisma.trainingSession.findUnique({ where: { id: idGiven }, select: sessionSelect }) : null;
    if (byId) {
      filters.sessionId = byId.id;
      chosen.session = sessionLabel(byId);
      described.push(`in ${sessionLabel(byId)}`);
    } else if (!session) errors.session = "Session: there is no such session";
    else if (!tooLong("session", "Session", session)) {
      const words = session.split(/\s+/).filter(Boolean).slice(0, 4);
      const matches = await prisma.trainingSession.findMany({
        where: { AND: words.map((w) => ({ title: { contains: w, ...ignoringCase() } })) },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        take: CHOICES + 1,
        select: sessionSelect,
      });
      if (matches.length === 1) {
        filters.sessionId = matches[0].id;
        chosen.session = sessionLabel(matches[0]);
        described.push(`in ${sessionLabel(matches[0])}`);
      } else if (matches.length === 0) errors.session = `Session: no session's title matches “${session}” (type words of its title, or its id)`;
      else {
        errors.session = `Session: ${matches.length > CHOICES ? `more than ${CHOICES}` : matches.length} sessions match “${session}”; choose one below`;
        choices.push({ field: "session", param: "sessionId", options: matches.slice(0, CHOICES).map((m) => ({ value: m.id, label: sessionLabel(m) })) });
      }
    }
  }

  // A certificate: its public verification code (or the whole check address), or its record id.
  const certificate = text(input.certificate);
  if (certificate && !tooLong("certificate", "Certificate", certificate)) {
    const code = /\/verify\/([^/?#\s]+)/.exec(certificate)?.[1] ?? certificate;
    const found = ID_PATTERN.test(code)
      ? await prisma.certification.findFirst({
        where: { OR: [{ id: code }, ...(isVerificationCode(code) ? [{ verificationCode: code }] : [])] },
        select: { id: true, issuedOn: true, program: { select: { code: true } } },
      })
      : null;
    if (found) {
      filters.certificationId = found.id;
      described.push(`about the ${found.program.code} certificate of ${found.issuedOn.toISOString().slice(0, 10)}`);
    } else errors.certificate = `Certificate: no certificate has the verification code or id “${certificate}”`;
  }

  // An actor: any user whose name or email holds the words ("system" for events nobody signed in did).
  const actor = text(input.actor);
  if (actor && !tooLong("actor", "Actor", actor)) {
    const words = actor.split(/\s+/).filter(Boolean).slice(0, 4);
    const users = await prisma.user.findMany({
      where: { AND: words.map((w) => ({ OR: [{ name: { contains: w, ...ignoringCase() } }, { email: { contains: w, ...ignoringCase() } }] })) },
      take: 101,
      select: { id: true, name: true },
    });
    if (users.length === 0) errors.actor = `Actor: no user's name or email matches “${actor}”`;
    else if (users.length > 100) errors.actor = `Actor: more than 100 users match “${actor}”; type more of the name or the email`;
    else {
      filters.actorIds = users.map((u) => u.id);
      described.push(`by ${users.length === 1 ? users[0].name : `${users.length} users matching “${actor}”`}`);
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors, choices };
  return { ok: true, filters, cursor, described, chosen };
}

// ---- reading ----

/** The where clause for the filters. "About a person" includes events whose details name them. */
async function whereFor(filters: AuditTrailFilters): Promise<Prisma.AuditEventWhereInput> {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filters.personId) {
    const id = filters.personId;
    // The events about them (attendance, roster, post-work, merges, closing: AuditEventPerson, from its
    // index), and those about their certificates and accounts.
    const [about, certificates, users] = await Promise.all([
      prisma.auditEventPerson.findMany({ where: { personId: id }, select: { eventId: true } }),
      prisma.certification.findMany({ where: { personId: id }, select: { id: true } }),
      prisma.user.findMany({ where: { personId: id }, select: { id: true } }),
    ]);
    and.push({
      OR: [
        { id: { in: about.map((a) => a.eventId) } },
        ...(certificates.length ? [{ entityType: "Certification", entityId: { in: certificates.map((c) => c.id) } }] : []),
        ...(users.length ? [{ entityType: "User", entityId: { in: users.map((u) => u.id) } }] : []),
      ],
    });
  }
  if (filters.sessionId) {
    const certificates = await prisma.certification.findMany({ where: { sessionId: filters.sessionId }, select: { id: true } });
    and.push({
      OR: [
        { entityType: "TrainingSession", entityId: filters.sessionId },
        ...(certificates.length ? [{ entityType: "Certification", entityId: { in: certificates.map((c) => c.id) } }] : []),
      ],
    });
  }
  if (filters.certificationId) {
    and.push({
      OR: [
        { entityType: "Certification", entityId: filters.certificationId },
        // A renewal is recorded on the old certificate, naming the new one.
        { entityType: "Certification", details: { contains: `"${filters.certificationId}"` } },
      ],
    });
  }
  if (filters.actorIds) and.push({ actorId: { in: filters.actorIds } });
  if (filters.kind) and.push({ OR: AUDIT_KINDS[filters.kind].prefixes.map((p) => ({ action: { startsWith: p } })) });
  if (filters.fromAt) and.push({ createdAt: { gte: filters.fromAt } });
  if (filters.toBefore) and.push({ createdAt: { lt: filters.toBefore } });
  return and.length ? { AND: and } : {};
}

function kindOf(action: string): string | null {
  for (const [kind, { prefixes }] of Object.entries(AUDIT_KINDS)) {
    if (prefixes.some((p: string) => action.startsWith(p))) return kind;
  }
  return null;
}

/**
 * One page of the trail, newest first, as the viewer may see it. `seen` says how people are
 * seen on the page (a session's page: through that session; otherwise the directory);
 * `context` drops from each sentence what the page already says.
 */
export async function readAuditTrail(
  viewer: VisibilityViewer,
  filters: AuditTrailFilters,
  opts: { cursor?: AuditCursor | null; limit?: number; seen?: AuditSeen; context?: AuditContext; timeZone: string; now?: Date },
): Promise<AuditTrailPage> {
  const limit = opts.limit ?? AUDIT_PAGE_SIZE;
  const where = await whereFor(filters);
  const cursor = opts.cursor;
  const page = await prisma.auditEvent.findMany({
    where: cursor
      ? { AND: [where, { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }] }
      : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: { id: true, actorId: true, action: true, entityType: true, entityId: true, details: true, createdAt: true },
  });
  const rows = page.slice(0, limit);
  const events = rows.map((r): AuditEventInput & { id: string; createdAt: Date } => ({
    id: r.id, createdAt: r.createdAt, action: r.action, entityType: r.entityType, entityId: r.entityId, actorId: r.actorId, details: parseAuditDetails(r.details),
  }));
  const names = await resolveNames(viewer, events, opts.seen ?? { via: "directory" }, opts.timeZone, opts.now ?? new Date());
  // Changed values (emails, IDs) for administrators; why a certificate was revoked for those who correct certificates.
  const context: AuditContext = { showValues: viewer.role === "ADMIN", showReasons: CERTIFICATE_RECORD_ROLES.includes(viewer.role), ...opts.context };
  const entries = events.map((e) => ({
    id: e.id,
    at: e.createdAt,
    action: e.action,
    kind: kindOf(e.action),
    actor: e.actorId === null ? "System" : names.users[e.actorId] ?? "A user no longer on record",
    words: describeAuditEvent(e, names, context),
  }));
  const last = rows.at(-1);
  return { entries, nextCursor: page.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

/** Every name the events need: one query per kind, people masked for the viewer. */
async function resolveNames(viewer: VisibilityViewer, events: AuditEventInput[], seen: AuditSeen, timeZone: string, now: Date): Promise<AuditNames> {
  const want = {
    users: new Set<string>(), people: new Set<string>(), programs: new Set<string>(), sessions: new Set<string>(),
    schools: new Set<string>(), regions: new Set<string>(), days: new Set<string>(), certificates: new Set<string>(),
  };
  for (const event of events) {
    const subjects = auditSubjects(event);
    for (const key of Object.keys(want) as Array<keyof typeof want>) for (const id of subjects[key]) want[key].add(id);
  }
  const ids = (set: Set<string>) => [...set];

  // First the records that name further records (a certificate its holder and program, a session its program).
  const [certificates, sessions] = await Promise.all([
    want.certificates.size ? prisma.certification.findMany({ where: { id: { in: ids(want.certificates) } }, select: { id: true, personId: true, programId: true, issuedOn: true } }) : [],
    want.sessions.size
      ? prisma.trainingSession.findMany({
        where: { id: { in: ids(want.sessions) } },
        select: { id: true, title: true, programId: true, days: { orderBy: { startsAt: "asc" }, take: 1, select: { startsAt: true } } },
      })
      : [],
  ]);
  for (const c of certificates) {
    want.people.add(c.personId);
    want.programs.add(c.programId);
  }
  for (const s of sessions) want.programs.add(s.programId);

  const sessionOfPage = seen.via === "session"
    ? prisma.trainingSession.findUnique({ where: { id: seen.sessionId }, select: { ...sessionFactsSelect, enrollments: { where: { personId: { in: ids(want.people) } }, select: { personId: true } } } })
    : Promise.resolve(null);

  const [users, people, programs, schools, regions, days, pageSession] = await Promise.all([
    want.users.size ? prisma.user.findMany({ where: { id: { in: ids(want.users) } }, select: { id: true, name: true } }) : [],
    want.people.size ? prisma.person.findMany({ where: { id: { in: ids(want.people) } }, select: visiblePersonSelect }) : [],
    want.programs.size ? prisma.program.findMany({ where: { id: { in: ids(want.programs) } }, select: { id: true, code: true, name: true } }) : [],
    want.schools.size ? prisma.school.findMany({ where: { id: { in: ids(want.schools) } }, select: { id: true, name: true } }) : [],
    want.regions.size ? prisma.region.findMany({ where: { id: { in: ids(want.regions) } }, select: { id: true, name: true } }) : [],
    want.days.size ? prisma.sessionDay.findMany({ where: { id: { in: ids(want.days) } }, select: { id: true, startsAt: true } }) : [],
    sessionOfPage,
  ]);

  const enrolled = new Set(pageSession?.enrollments.map((e) => e.personId) ?? []);
  const seenFor = (personId: string): SeenThrough =>
    pageSession ? { via: "session", session: sessionFacts(pageSession), enrolled: enrolled.has(personId) } : { via: "directory" };
  const peopleNames: Record<string, string> = {};
  for (const p of people) {
    const shown = maskPerson(viewer, p, seenFor(p.id), now);
    // The rule hides students (never named to those who do not work with their school); anyone else it hides is "someone".
    peopleNames[p.id] = shown.hidden ? (shown.kind === "STUDENT" ? HIDDEN_PERSON_WORDS : "someone not shown here") : `${shown.firstName} ${shown.lastName}`;
  }
  return {
    timeZone,
    users: Object.fromEntries(users.map((u) => [u.id, u.name])),
    people: peopleNames,
    programs: Object.fromEntries(programs.map((p) => [p.id, { code: p.code, name: p.name }])),
    sessions: Object.fromEntries(sessions.map((s) => [s.id, { title: s.title, programId: s.programId, firstDay: s.days[0]?.startsAt ?? null }])),
    schools: Object.fromEntries(schools.map((s) => [s.id, s.name])),
    regions: Object.fromEntries(regions.map((r) => [r.id, r.name])),
    days: Object.fromEntries(days.map((d) => [d.id, d.startsAt])),
    certificates: Object.fromEntries(certificates.map((c) => [c.id, { personId: c.personId, programId: c.programId, issuedOn: c.issuedOn }])),
  };
}

/** Every event the filters select, for the CSV export: read a page at a time, up to `max` events. */
export async function readWholeAuditTrail(
  viewer: VisibilityViewer, filters: AuditTrailFilters, opts: { timeZone: string; max?: number; context?: AuditContext },
): Promise<{ entries: AuditEntry[]; truncated: boolean }> {
  const max = opts.max ?? 50_000;
  const entries: AuditEntry[] = [];
  let cursor: AuditCursor | null = null;
  for (;;) {
    const page: AuditTrailPage = await readAuditTrail(viewer, filters, { cursor, limit: 500, timeZone: opts.timeZone, context: opts.context });
    entries.push(...page.entries);
    if (!page.nextCursor || entries.length >= max) return { entries: entries.slice(0, max), truncated: page.nextCursor !== null || entries.length > max };
    cursor = decodeCursor(page.nextCursor);
  }
}
