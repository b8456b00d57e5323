/**
 * The audit trail in plain words: one audit event (app/models/audit.server.ts writes them) plus the
 * names it refers to becomes one sentence a person can read ("Terry Trainer marked Ana López
 * present on Mar 3, 2026 (was absent)"). Pure: the caller resolves the names, and masks people the
 * viewer may not see before they get here (a hidden student arrives as "a student").
 * Every action the app writes has a sentence; an unknown one still reads as a sentence.
 */
import { dateInZone } from "./time";

export type AuditEventInput = {
  action: string;
  entityType: string;
  entityId: string;
  actorId: string | null;
  /** Parsed details (see parseAuditDetails); anything unexpected in them is ignored, never fatal. */
  details: Record<string, unknown>;
};

export type AuditProgramName = { code: string; name: string };
export type AuditSessionName = { title: string | null; programId: string | null; firstDay: Date | string | null };
export type AuditCertificateName = { personId: string; programId: string; issuedOn: Date | string };

/**
 * The names an event needs, by id. People are already masked for the viewer: a person they may not
 * see is "a student". An id missing from a map reads as "someone no longer on record" (or the like).
 */
export type AuditNames = {
  timeZone: string;
  users: Readonly<Record<string, string>>;
  people: Readonly<Record<string, string>>;
  programs: Readonly<Record<string, AuditProgramName>>;
  sessions: Readonly<Record<string, AuditSessionName>>;
  schools: Readonly<Record<string, string>>;
  regions: Readonly<Record<string, string>>;
  /** Session days: when each starts. */
  days: Readonly<Record<string, Date | string>>;
  certificates: Readonly<Record<string, AuditCertificateName>>;
};

/** Where the sentence is shown: on a session's page the session need not be named; on a person's page lists keep to that person. */
export type AuditContext = {
  sessionId?: string; personId?: string;
  /** Old and new values of a person's changed fields (emails, district IDs): administrators. */
  showValues?: boolean;
  /** Why a certificate was revoked, and the evidence for one recorded from elsewhere: those who correct certificates. Shown unless false. */
  showReasons?: boolean;
};

/** The ids an event refers to, by kind, so a page resolves all of its names in one query per kind. */
export type AuditSubjects = {
  users: string[]; people: string[]; programs: string[]; sessions: string[]; schools: string[]; regions: string[]; days: string[]; certificates: string[];
};

/** The families of actions a reader filters by ("kind" on the audit page). */
export const AUDIT_KINDS = {
  attendance: { label: "Attendance, post-work and evaluation", prefixes: ["attendance.", "enrollment."] },
  roster: { label: "Rosters", prefixes: ["roster."] },
  "check-in": { label: "QR check-in and walk-ins", prefixes: ["checkin."] },
  evaluation: { label: "Session evaluations", prefixes: ["evaluation."] },
  certificate: { label: "Certificates", prefixes: ["certification."] },
  instructor: { label: "Instructor certifications", prefixes: ["instructor-certification."] },
  session: { label: "Sessions", prefixes: ["session."] },
  person: { label: "People's records and memberships", prefixes: ["person.", "affiliation."] },
  account: { label: "User accounts and calendar feeds", prefixes: ["user.", "calendarFeed."] },
  program: { label: "Programs", prefixes: ["program."] },
  school: { label: "Schools, regions and headcounts", prefixes: ["school.", "region.", "headcount."] },
  goal: { label: "Goals", prefixes: ["goal."] },
} as const satisfies Record<string, { label: string; prefixes: readonly string[] }>;

export type AuditKind = keyof typeof AUDIT_KINDS;

export function isAuditKind(value: string): value is AuditKind {
  return Object.prototype.hasOwnProperty.call(AUDIT_KINDS, value);
}

/** The details column is JSON text; anything that is not a JSON object reads as no details. */
export function parseAuditDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};
  } catch {
    return {};
  }
}

// ---- reading details safely ----

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const strs = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
const records = (value: unknown): Array<Record<string, unknown>> =>
  Array.isArray(value) ? value.flatMap((v) => (v && typeof v === "object" && !Array.isArray(v) ? [Object.fromEntries(Object.entries(v))] : [])) : [];
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};

/** The ids of people an event names in its details (not counting the entity itself). */
export function peopleNamedIn(event: Pick<AuditEventInput, "action" | "details" | "entityType" | "entityId">): string[] {
  const d = event.details;
  const ids = [
    str(d.personId), str(d.survivorId), str(d.mergedId), str(d.otherId),
    ...strs(d.personIds),
    ...records(d.changes).map((c) => str(c.personId)),
    ...records(d.notCompleted).map((c) => str(c.personId)),
  ];
  if (event.entityType === "Person") ids.unshift(event.entityId);
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

export function auditSubjects(event: AuditEventInput): AuditSubjects {
  const d = event.details;
  const by = (type: string) => (event.entityType === type ? [event.entityId] : []);
  const only = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => v !== null))];
  const changes = record(d);
  const regionChange = record(changes.regionId);
  return {
    users: only([event.actorId, ...by("User")]),
    people: peopleNamedIn(event),
    programs: only([str(d.programId), ...by("Program")]),
    sessions: only([str(d.sessionId), ...by("TrainingSession")]),
    schools: only([str(d.schoolId), ...by("School")]),
    regions: only([...by("Region"), str(d.regionId), str(regionChange.from), str(regionChange.to)]),
    days: only([str(d.sessionDayId), ...records(d.changes).map((c) => str(c.sessionDayId))]),
    certificates: only([...by("Certification"), str(d.renewedById)]),
  };
}

// ---- words ----

/** A calendar date ("2026-03-03" or a date at 00:00 UTC) as the app prints dates: "Mar 3, 2026". */
export function calendarDateWords(value: Date | string): string {
  const d = typeof value === "string" ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

/** An instant in the district's time zone: "Mar 3, 2026, 9:05 AM". */
export function instantWords(value: Date | string, timeZone: string): string {
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone });
}

/** The district's calendar day of an instant (a session day starts at 9:00 in Los Angeles: that day, not UTC's). */
function dayWords(value: Date | string, timeZone: string): string {
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return calendarDateWords(dateInZone(d, timeZone));
}

const MARK_WORDS: Record<string, string> = { PRESENT: "present", ABSENT: "absent", PARTIAL: "partly present" };
const markWords = (mark: unknown) => (typeof mark === "string" ? MARK_WORDS[mark] ?? humanize(mark) : "unmarked");

const METHOD_WORDS: Record<string, string> = {
  MANUAL: "on the attendance sheet", PAPER: "from the paper sign-in sheet", QR: "by QR check-in", IMPORT: "from the MHFA platform's export",
};

const SOURCE_WORDS: Record<string, string> = {
  manual: "by hand", paper: "from the paper sign-in sheet", "qr-walk-in": "as an approved walk-in", "csv-import": "from a CSV file",
  "mhfa-import": "from the MHFA platform's export",
};

/** Where a certificate earned elsewhere came from; an unknown code is shown as written. */
const CERTIFICATE_SOURCE_WORDS: Record<string, string> = {
  "mhfa-platform": "Official MHFA platform", MHFA_PLATFORM: "Official MHFA platform", mhfa: "Official MHFA platform",
  "another-district": "another district", OTHER_DISTRICT: "another district", other: "another provider", OTHER: "another provider",
};

const KIND_WORDS: Record<string, string> = { STAFF: "staff", STUDENT: "student", COMMUNITY: "community partner" };
const ROLE_WORDS: Record<string, string> = {
  ADMIN: "administrator", PROGRAM_LEAD: "program lead", TRAINER: "trainer", COORDINATOR: "school coordinator", MEMBER: "member",
};
const MEASURE_WORDS: Record<string, string> = { PEOPLE_TRAINED: "people trained", STAFF_REACH: "share of staff current" };

const FIELD_WORDS: Record<string, string> = {
  firstName: "first name", lastName: "last name", email: "email", districtId: "district ID", kind: "kind", code: "code", name: "name",
  level: "level", regionId: "region", active: "open", description: "description", audience: "audience", validityMonths: "validity (months)",
  renewalWindowDays: "renewal window (days)", requiresAttendance: "requires attendance", requiresPostWork: "requires post-work",
  requiresEvaluation: "requires evaluation", maxParticipants: "most participants", reminderDays: "reminder days", renewalGuidance: "renewal guidance",
  instructorCoursesPerYear: "courses an instructor teaches a year", instructorNeedsCertificate: "instructors hold a current certificate",
};

/** "some.action-name" or "SOME_CODE" as words: "some action name". */
export function humanize(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[-_.]+/g, " ").trim().toLowerCase();
}

function list(items: string[], max = 5): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(", ")} and ${rest} more`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}

/** "Terry Trainer's", "James'": a name's possessive. */
const possessive = (name: string) => (name.endsWith("s") ? `${name}'` : `${name}'s`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const capitalize = (text: string) => (text ? text[0].toUpperCase() + text.slice(1) : text);

function valueWords(value: unknown): string {
  if (value === null || value === undefined || value === "") return "blank";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return /^\d{4}-\d{2}-\d{2}(T00:00:00(\.000)?Z)?$/.test(value) ? calendarDateWords(value.slice(0, 10)) : `“${value}”`;
  if (Array.isArray(value)) return value.length ? value.map(valueWords).join(", ") : "none";
  return "a value";
}

/**
 * One event in words, beginning with who did it. `names` are resolved (and people masked) by the
 * caller; `context` drops what the page already says.
 */
export function describeAuditEvent(event: AuditEventInput, names: AuditNames, context: AuditContext = {}): string {
  try {
    return capitalize(sentence(event, names, context));
  } catch {
    // A details shape no one expected must never break a page: say what is certain.
    return capitalize(`${actorOf(event, names)} recorded “${humanize(event.action)}” on a ${humanize(event.entityType)} record`);
  }
}

function actorOf(event: Pick<AuditEventInput, "actorId">, names: AuditNames): string {
  if (event.actorId === null) return "the system";
  return names.users[event.actorId] ?? "a user no longer on record";
}

function sentence(event: AuditEventInput, names: AuditNames, context: AuditContext): string {
  const d = event.details;
  const actor = actorOf(event, names);
  const tz = names.timeZone;
  const person = (id: string | null) => (id === null ? "someone" : names.people[id] ?? "someone no longer on record");
  const user = (id: string | null) => (id === null ? "someone" : names.users[id] ?? "a user no longer on record");
  const program = (id: string | null) => (id === null ? null : names.programs[id] ?? null);
  const programCode = (id: string | null) => program(id)?.code ?? "a";
  const school = (id: string | null) => (id === null ? "no school" : names.schools[id] ?? "a school no longer on record");
  const region = (id: string | null) => (id === null ? "no region" : names.regions[id] ?? "a region no longer on record");
  const day = (id: string | null) => {
    const startsAt = id === null ? undefined : names.days[id];
    return startsAt === undefined ? "a day no longer on record" : dayWords(startsAt, tz);
  };
  const sessionName = (id: string | null) => {
    const s = id === null ? undefined : names.sessions[id];
    if (!s) return "a session no longer on record";
    if (s.title) return `the session “${s.title}”`;
    const p = program(s.programId);
    const what = p ? `${p.code} session` : "session";
    return s.firstDay ? `the ${what} of ${dayWords(s.firstDay, tz)}` : `the ${what}`;
  };
  const sessionId = event.entityType === "TrainingSession" ? event.entityId : str(d.sessionId);
  // " in the session “…”", unless the page is that session's.
  const inSession = (prefix: string) => (sessionId !== null && sessionId === context.sessionId ? "" : ` ${prefix} ${sessionName(sessionId)}`);
  const sessionHere = sessionId !== null && sessionId === context.sessionId ? "the session" : sessionName(sessionId);
  const focus = <T>(items: T[], personOf: (item: T) => string | null) =>
    context.personId ? items.filter((item) => personOf(item) === context.personId) : items;
  const reason = (text: unknown) => (str(text) ? `: ${str(text)}` : "");

  switch (event.action) {
    // ---- attendance and completion steps ----
    case "attendance.record": {
      const changes = focus(records(d.changes), (c) => str(c.personId));
      const method = str(d.method);
      const how = method ? METHOD_WORDS[method] ?? `(${humanize(method)})` : "";
      const one = (c: Record<string, unknown>, withWas: boolean) => {
        const was = c.from === null || c.from === undefined || !withWas ? "" : ` (was ${markWords(c.from)})`;
        if (c.to === null || c.to === undefined) return `cleared the mark of ${person(str(c.personId))} for ${day(str(c.sessionDayId))}${withWas ? ` (was ${markWords(c.from)})` : ""}`;
        return `marked ${person(str(c.personId))} ${markWords(c.to)} on ${day(str(c.sessionDayId))}${was}`;
      };
      if (event.actorId === null && method === "QR" && changes.length === 1 && changes[0].to === "PRESENT") {
        return `${person(str(changes[0].personId))} checked in with the QR code on ${day(str(changes[0].sessionDayId))}${inSession("for")}`;
      }
      if (changes.length === 0) return `${actor} recorded attendance${inSession("in")}${how ? ` ${how}` : ""}`;
      if (changes.length === 1) return `${actor} ${one(changes[0], true)}${inSession("in")}${how ? ` ${how}` : ""}`;
      const items = changes.map((c) => {
        const text = one(c, true);
        return text.replace(/^marked /, "");
      });
      return `${actor} recorded attendance for ${plural(changes.length, "mark")}${inSession("in")}${how ? ` ${how}` : ""}: ${list(items)}`;
    }
    case "enrollment.steps": {
      const changes = focus(records(d.changes), (c) => str(c.personId));
      const from = str(d.source) ? ` ${SOURCE_WORDS[str(d.source) ?? ""] ?? `(${humanize(str(d.source) ?? "")})`}` : "";
      const steps = (c: Record<string, unknown>) => {
        const parts: string[] = [];
        for (const [key, label] of [["postWorkCompletedOn", "post-work"], ["evaluationCompletedOn", "evaluation"]] as const) {
          if (!(key in c)) continue;
          const on = str(c[key]);
          parts.push(on ? `${label} done on ${calendarDateWords(on.slice(0, 10))}` : `${label} not done`);
        }
        return parts.length ? parts.join(" and ") : "no change";
      };
      if (changes.length === 0) return `${actor} recorded post-work or evaluation${inSession("in")}${from}`;
      if (changes.length === 1) return `${actor} recorded ${steps(changes[0])} for ${person(str(changes[0].personId))}${inSession("in")}${from}`;
      return `${actor} recorded post-work and evaluation for ${plural(changes.length, "person", "people")}${inSession("in")}${from}: ${changes.map((c) => `${person(str(c.personId))}: ${steps(c)}`).join("; ")}`;
    }

    // ---- rosters and check-in ----
    case "roster.add": {
      const all = strs(d.personIds);
      const ids = focus(all, (id) => id);
      const source = str(d.source);
      const how = source ? ` ${SOURCE_WORDS[source] ?? `(${humanize(source)})`}` : "";
      const over = d.overCapacity === true ? ", over capacity on purpose" : "";
      const others = all.length - ids.length;
      const who = ids.length === 1 ? person(ids[0]) : `${plural(ids.length, "person", "people")} (${list(ids.map(person))})`;
      const withOthers = others > 0 ? `${who} and ${plural(others, "other person", "other people")}` : who;
      return `${actor} added ${withOthers} to the roster of ${sessionHere}${how}${over}`;
    }
    case "roster.remove": {
      const had = num(d.hadAttendance);
      return `${actor} removed ${person(str(d.personId))} from the roster of ${sessionHere}${had ? ` (${plural(had, "attendance mark")} had been recorded)` : ""}`;
    }
    case "checkin.open": {
      const until = str(d.expiresAt);
      return `${actor} opened QR check-in for ${day(str(d.sessionDayId))}${inSession("of")}${until ? ` (the link works until ${instantWords(until, tz)})` : ""}`;
    }
    case "checkin.close":
      return `${actor} closed QR check-in for ${day(str(d.sessionDayId))}${inSession("of")}`;
    case "checkin.walkin.approve":
      return `${actor} let walk-in ${person(str(d.personId))} join ${sessionHere} on ${day(str(d.sessionDayId))}`;
    case "checkin.walkin.dismiss":
      return `${actor} turned away a walk-in at ${sessionHere} on ${day(str(d.sessionDayId))}`;
    // ---- session evaluations (a participant's submission names no one: the answers are anonymous) ----
    case "evaluation.open": {
      const until = str(d.expiresAt);
      return `${actor} opened the evaluation of ${sessionHere}${d.replaced === true ? " with a new link" : ""}${until ? ` (the link works until ${instantWords(until, tz)})` : ""}`;
    }
    case "evaluation.close":
      return `${actor} closed the evaluation of ${sessionHere}`;
    case "evaluation.submit":
      return `a participant submitted an evaluation for ${sessionHere}`;

    // ---- sessions ----
    case "session.create": {
      const days = records(d.days);
      return `${actor} scheduled ${sessionHere}${days.length ? ` (${plural(days.length, "day")})` : ""}`;
    }
    case "session.update":
      return `${actor} changed the details of ${sessionHere}`;
    case "session.cancel":
      return `${actor} cancelled ${sessionHere}${reason(d.reason)}`;
    case "session.reopen":
      return `${actor} reopened ${sessionHere}${reason(d.reason)}`;
    case "session.close": {
      const issued = num(d.issued) ?? 0;
      const held = num(d.alreadyHeld) ?? 0;
      const notDone = records(d.notCompleted);
      const focused = focus(notDone, (n) => str(n.personId));
      const parts = [`${plural(issued, "certificate")} issued`];
      if (held) parts.push(`${held} already held one`);
      if (context.personId) {
        if (focused.length) parts.push(`${person(context.personId)} did not complete${strs(focused[0].reasons).length ? ` (${strs(focused[0].reasons).join("; ")})` : ""}`);
      } else if (notDone.length) parts.push(`${notDone.length} did not complete`);
      return `${actor} closed ${sessionHere}; ${parts.join(", ")}`;
    }

    // ---- certificates ----
    case "certification.issue": {
      const cert = names.certificates[event.entityId];
      const personId = str(d.personId) ?? cert?.personId ?? null;
      const programId = cert?.programId ?? names.sessions[sessionId ?? ""]?.programId ?? null;
      const issuedOn = str(d.issuedOn);
      const expiresOn = str(d.expiresOn);
      const valid = issuedOn ? `, issued ${calendarDateWords(issuedOn)}${expiresOn ? `, expires ${calendarDateWords(expiresOn)}` : ", never expires"}` : "";
      return `${actor} issued a ${programCode(programId)} certificate to ${person(personId)}${inSession("for")}${valid}`;
    }
    case "certification.renew": {
      const old = names.certificates[event.entityId];
      const renewedBy = names.certificates[str(d.renewedById) ?? ""];
      const holder = person(old?.personId ?? renewedBy?.personId ?? null);
      const oldIssued = old ? ` of ${calendarDateWords(old.issuedOn)}` : "";
      const newIssued = renewedBy ? ` of ${calendarDateWords(renewedBy.issuedOn)}` : "";
      return `${actor} renewed the ${programCode(old?.programId ?? renewedBy?.programId ?? null)} certificate${oldIssued} of ${holder} with the certificate${newIssued}; the old one is kept`;
    }
    case "certification.revoke": {
      const cert = names.certificates[event.entityId];
      const programId = str(d.programId) ?? cert?.programId ?? null;
      const personId = str(d.personId) ?? cert?.personId ?? null;
      const issued = cert ? ` (issued ${calendarDateWords(cert.issuedOn)})` : "";
      return `${actor} revoked certificate ${programCode(programId)}${issued} for ${person(personId)}${context.showReasons === false ? "" : reason(d.reason)}`;
    }
    case "certification.record": {
      const cert = names.certificates[event.entityId];
      const programId = str(d.programId) ?? cert?.programId ?? null;
      const personId = str(d.personId) ?? cert?.personId ?? null;
      const source = str(d.source);
      const where = source ? ` (${CERTIFICATE_SOURCE_WORDS[source] ?? source})` : "";
      const issuedOn = str(d.issuedOn);
      const expiresOn = str(d.expiresOn);
      const dates = issuedOn ? `, issued ${calendarDateWords(issuedOn.slice(0, 10))}${expiresOn ? `, expires ${calendarDateWords(expiresOn.slice(0, 10))}` : ", never expires"}` : "";
      const note = str(d.evidenceNote) && context.showReasons !== false ? `; evidence: ${str(d.evidenceNote)}` : "";
      return `${actor} recorded a ${programCode(programId)} certificate for ${person(personId)} earned elsewhere${where}${dates}${note}`;
    }

    // ---- instructor certifications ----
    case "instructor-certification.record": {
      const issuedOn = str(d.issuedOn);
      const expiresOn = str(d.expiresOn);
      const dates = issuedOn ? ` (issued ${calendarDateWords(issuedOn.slice(0, 10))}${expiresOn ? `, expires ${calendarDateWords(expiresOn.slice(0, 10))}` : ", never expires"})` : "";
      const note = str(d.evidenceNote) && context.showReasons !== false ? `; evidence: ${str(d.evidenceNote)}` : "";
      const source = str(d.source) ? `; source: ${str(d.source)}` : "";
      return `${actor} recorded ${possessive(person(str(d.personId)))} ${programCode(str(d.programId))} instructor certification${dates}${source}${note}`;
    }

    case "instructor-certification.import": {
      const file = str(d.fileName) ? ` from ${str(d.fileName)}` : "";
      return `${actor} imported instructor certifications${file}: ${num(d.created) ?? 0} recorded, ${num(d.alreadyRecorded) ?? 0} already on record`;
    }

    // ---- people ----
    case "person.create": {
      const kind = str(d.kind);
      const via = str(d.via);
      const notes = [kind ? KIND_WORDS[kind] ?? humanize(kind) : null, via].filter(Boolean).join(", ");
      return `${actor} added ${person(event.entityId)} to the directory${notes ? ` (${notes})` : ""}`;
    }
    case "person.update": {
      const changes = record(d.changes);
      const fields = Object.keys(changes);
      const via = str(d.via) ? ` (${str(d.via)})` : "";
      if (fields.length === 0) return `${actor} changed the record of ${person(event.entityId)}${via}`;
      const words = fields.map((f) => {
        const label = FIELD_WORDS[f] ?? humanize(f);
        // Written as [before, after] (person edits, imports) or { from, to }.
        const change = changes[f];
        const pair = Array.isArray(change) && change.length === 2 ? change : "from" in record(change) || "to" in record(change) ? [record(change).from, record(change).to] : null;
        if (!context.showValues || !pair) return label;
        const [from, to] = pair;
        const show = (v: unknown) => (f === "kind" && typeof v === "string" ? KIND_WORDS[v] ?? v : valueWords(v));
        return `${label} from ${show(from)} to ${show(to)}`;
      });
      return `${actor} changed the record of ${person(event.entityId)}${via}: ${words.join("; ")}`;
    }
    case "person.merge": {
      const why = reason(d.reason);
      const copied = Object.keys(record(d.copied)).filter((k) => k !== "mergedDistrictId" && k !== "repointed").map((k) => FIELD_WORDS[k] ?? humanize(k));
      return `${actor} merged ${person(str(d.mergedId))} into ${person(str(d.survivorId))}, keeping every record${copied.length ? ` (copied: ${list(copied)})` : ""}${why}`;
    }
    case "person.unmerge": {
      const kept = strs(d.kept);
      return `${actor} undid the merge of ${person(str(d.mergedId))} into ${person(str(d.survivorId))}${kept.length ? ` (${list(kept)} stayed on ${person(str(d.survivorId))}: changed since)` : ""}`;
    }
    case "person.not-duplicate":
      return `${actor} marked ${person(event.entityId)} and ${person(str(d.otherId))} as not the same person`;
    case "person.reminders-unsubscribe":
      return `${person(event.entityId)} turned renewal reminder emails off (link in a reminder email)`;
    case "person.reminders-resubscribe":
      return `${person(event.entityId)} turned renewal reminder emails back on (link in a reminder email)`;
    case "affiliation.create": {
      const year = num(d.schoolYear);
      const source = str(d.source);
      const how = source ? ` (added ${SOURCE_WORDS[source] ?? humanize(source)})` : "";
      return `${actor} made ${person(event.entityId)} a member of ${school(str(d.schoolId))}${year !== null ? ` for ${year}-${String((year + 1) % 100).padStart(2, "0")}` : ""}${how}`;
    }

    // ---- accounts ----
    case "user.create": {
      const role = str(d.role);
      return `${actor} created the account of ${user(event.entityId)}${role ? ` (${ROLE_WORDS[role] ?? humanize(role)})` : ""}`;
    }
    case "user.update": {
      const parts: string[] = [];
      const role = strs(d.role);
      if (role.length === 2 && role[0] !== role[1]) parts.push(`role from ${ROLE_WORDS[role[0]] ?? role[0]} to ${ROLE_WORDS[role[1]] ?? role[1]}`);
      const active = Array.isArray(d.active) ? d.active : [];
      if (active.length === 2 && active[0] !== active[1]) parts.push(active[1] ? "turned the account back on" : "turned the account off");
      const schools = strs(d.schools);
      if (schools.length) parts.push(`schools: ${list(schools, 10)}`);
      return `${actor} changed the account of ${user(event.entityId)}${parts.length ? `: ${parts.join("; ")}` : ""}`;
    }
    case "user.password-reset":
      if (event.actorId === event.entityId) return `${user(event.entityId)} reset their password${str(d.via) ? ` by ${str(d.via)}` : ""}`;
      return `${actor} set a new password for ${user(event.entityId)}`;
    case "user.password-change":
      return `${user(event.entityId)} changed their password`;
    case "user.link-person": {
      const linked = str(d.personId);
      return linked
        ? `${actor} linked the account of ${user(event.entityId)} to the person record of ${person(linked)}`
        : `${actor} unlinked the account of ${user(event.entityId)} from its person record`;
    }
    case "calendarFeed.create":
      return `${user(event.entityId)} turned on their calendar feed`;
    case "calendarFeed.replace":
      return `${user(event.entityId)} made a new calendar feed address; the old one stopped working`;
    case "calendarFeed.revoke":
      return `${user(event.entityId)} turned off their calendar feed`;
    case "user.digest-on":
      return `${user(event.entityId)} turned on the monthly digest email of their schools`;
    case "user.digest-off":
      return `${user(event.entityId)} turned off the monthly digest email of their schools`;

    // ---- programs, schools, regions, headcounts, goals ----
    case "program.create":
      return `${actor} created the program ${str(d.name) ?? program(event.entityId)?.name ?? "(no name)"}${str(d.code) ? ` (${str(d.code)})` : ""}`;
    case "program.update": {
      const changes = Object.entries(d).map(([f, pair]) => {
        const label = FIELD_WORDS[f] ?? humanize(f);
        return Array.isArray(pair) && pair.length === 2 ? `${label} from ${valueWords(pair[0])} to ${valueWords(pair[1])}` : label;
      });
      const p = program(event.entityId);
      return `${actor} changed the program ${p ? `${p.name} (${p.code})` : "no longer on record"}${changes.length ? `: ${list(changes, 12)}` : ""}`;
    }
    case "region.create":
      return `${actor} created the region ${str(d.name) ?? region(event.entityId)}${str(d.code) ? ` (${str(d.code)})` : ""}`;
    case "school.create":
      return `${actor} created the school ${str(d.name) ?? school(event.entityId)}${str(d.code) ? ` (${str(d.code)})` : ""}`;
    case "school.safety-protocol": {
      const since = str(d.since);
      const previous = str(d.previous);
      return since
        ? `${actor} recorded the safety protocol of ${school(event.entityId)} as in place since ${calendarDateWords(since)}${previous ? ` (was ${calendarDateWords(previous)})` : ""}`
        : `${actor} cleared the safety protocol of ${school(event.entityId)}${previous ? ` (was in place since ${calendarDateWords(previous)})` : ""}`;
    }
    case "region.update":
    case "school.update": {
      const isSchool = event.action === "school.update";
      const changes = Object.entries(d).map(([f, change]) => {
        const label = FIELD_WORDS[f] ?? humanize(f);
        const c = record(change);
        const show = (v: unknown) => (f === "regionId" ? region(str(v)) : f === "active" && typeof v === "boolean" ? (v ? "open" : "closed") : valueWords(v));
        return "from" in c || "to" in c ? `${label} from ${show(c.from)} to ${show(c.to)}` : label;
      });
      const name = isSchool ? school(event.entityId) : region(event.entityId);
      return `${actor} changed the ${isSchool ? "school" : "region"} ${name}${changes.length ? `: ${list(changes, 10)}` : ""}`;
    }
    case "school.import": {
      const file = str(d.fileName) ? ` from ${str(d.fileName)}` : "";
      return `${actor} imported schools${file}: ${num(d.created) ?? 0} created, ${num(d.updated) ?? 0} updated, ${num(d.unchanged) ?? 0} unchanged`;
    }
    case "headcount.import": {
      const file = str(d.fileName) ? ` from ${str(d.fileName)}` : "";
      const years = (Array.isArray(d.years) ? d.years : []).flatMap((y) => (typeof y === "number" ? [`${y}-${String((y + 1) % 100).padStart(2, "0")}`] : []));
      return `${actor} imported headcounts${file}${years.length ? ` for ${list(years)}` : ""}: ${num(d.created) ?? 0} new, ${num(d.changed) ?? 0} changed, ${num(d.unchanged) ?? 0} unchanged`;
    }
    case "goal.create":
    case "goal.update": {
      const scope = str(d.scope);
      const where = scope === "SCHOOL" ? school(str(d.schoolId)) : scope === "REGION" ? region(str(d.regionId)) : "the district";
      const measure = str(d.measure);
      const target = num(d.target);
      const deadline = str(d.deadline);
      const what = `${programCode(str(d.programId))} ${measure ? MEASURE_WORDS[measure] ?? humanize(measure) : "goal"}${target !== null ? `, target ${target}` : ""}${deadline ? ` by ${calendarDateWords(deadline)}` : ""} for ${where}`;
      return event.action === "goal.create" ? `${actor} set a goal: ${what}` : `${actor} changed a goal; it is now: ${what}`;
    }
    case "goal.archive":
      return `${actor} archived a goal`;
    case "goal.restore":
      return `${actor} restored an archived goal`;

    default:
      return `${actor} recorded “${humanize(event.action)}” on a ${humanize(event.entityType)} record`;
  }
}
