/**
 * Every query that returns people goes through here: it fetches what the rule needs (a
 * person's kind and affiliations) with the same select, and masks whoever the viewer may not
 * see before anything reaches a loader, whose data Remix serialises into the page. The rule
 * itself is app/domain/person-visibility.ts. (docs/decisions/010-person-visibility.md)
 */
import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import {
  currentSchoolIds, HIDDEN_STUDENT_LABEL, personFieldsFor,
  type PersonKindName, type SeenThrough, type VisibilityViewer,
} from "~/domain/person-visibility";
import { schoolYearOf } from "~/domain/school-year";

export type { SeenThrough, VisibilityViewer } from "~/domain/person-visibility";

/** The fields of a person that a page may show, and what the rule needs to decide. Select it wherever people are read. */
export const visiblePersonSelect = {
  id: true, districtId: true, firstName: true, lastName: true, email: true, kind: true,
  affiliations: { select: { schoolId: true, schoolYear: true } },
} as const satisfies Prisma.PersonSelect;

export type PersonForVisibility = {
  id: string; districtId: string | null; firstName: string; lastName: string; email: string | null; kind: PersonKindName;
  affiliations: ReadonlyArray<{ schoolId: string; schoolYear: number }>;
};

/** A person the viewer may see: the fields they may not see are null. */
export type ShownPerson = { hidden: false; id: string; kind: PersonKindName; firstName: string; lastName: string; districtId: string | null; email: string | null };
/** A person the viewer may not see: a count, never a name, an ID, an email or a record id. */
export type HiddenPerson = { hidden: true; kind: PersonKindName; label: string };
export type MaskedPerson = ShownPerson | HiddenPerson;

/** The rule's facts about a person, as of today's school year. */
export function factsOf(person: Pick<PersonForVisibility, "id" | "kind" | "affiliations">, now = new Date()) {
  return { id: person.id, kind: person.kind, schoolIds: currentSchoolIds(person.affiliations, schoolYearOf(now)) };
}

export function maskPerson(viewer: VisibilityViewer, person: PersonForVisibility, seen: SeenThrough, now = new Date()): MaskedPerson {
  const fields = personFieldsFor(viewer, factsOf(person, now), seen);
  if (!fields.name) return { hidden: true, kind: person.kind, label: HIDDEN_STUDENT_LABEL };
  return {
    hidden: false, id: person.id, kind: person.kind, firstName: person.firstName, lastName: person.lastName,
    districtId: fields.districtId ? person.districtId : null, email: fields.email ? person.email : null,
  };
}

/** Rows that each hold a person: the people the viewer may see, and how many they may not (a count only). */
export function partitionPeople<R extends { person: PersonForVisibility }>(
  viewer: VisibilityViewer, rows: readonly R[], seenOf: (row: R) => SeenThrough, now = new Date(),
): { shown: Array<Omit<R, "person"> & { person: ShownPerson }>; hiddenCount: number } {
  const shown: Array<Omit<R, "person"> & { person: ShownPerson }> = [];
  let hiddenCount = 0;
  for (const row of rows) {
    const person = maskPerson(viewer, row.person, seenOf(row), now);
    if (person.hidden) hiddenCount += 1;
    else shown.push({ ...row, person });
  }
  return { shown, hiddenCount };
}

/** The people a search may show at all; those whom the rule then hides are dropped, not counted, so a search never tells that they exist. */
export function shownOnly(viewer: VisibilityViewer, people: readonly PersonForVisibility[], seen: SeenThrough, now = new Date()): ShownPerson[] {
  return people.flatMap((p) => {
    const masked = maskPerson(viewer, p, seen, now);
    return masked.hidden ? [] : [masked];
  });
}

/**
 * A where clause that narrows a people search to those the viewer might see seen this way,
 * so a page of results is not filled with people then hidden. The rule (shownOnly) still
 * decides: this is a pre-filter only (it cannot tell a current school from a past one).
 */
export function findablePeopleWhere(viewer: VisibilityViewer, seen: SeenThrough & { via: "search" }, sessionId: string): Prisma.PersonWhereInput {
  if (viewer.role === "ADMIN") return {};
  const students: Prisma.PersonWhereInput[] = [{ enrollments: { some: { sessionId } } }];
  if (viewer.role === "TRAINER" && seen.session.schoolId) students.push({ affiliations: { some: { schoolId: seen.session.schoolId } } });
  if (viewer.role === "COORDINATOR") students.push({ affiliations: { some: { schoolId: { in: [...viewer.schoolIds] } } } });
  return { OR: [{ kind: { not: "STUDENT" } }, { kind: "STUDENT", OR: students }] };
}

/** The session facts the rule reads, selected with the session. */
export const sessionFactsSelect = { schoolId: true, trainers: { select: { userId: true } } } as const satisfies Prisma.TrainingSessionSelect;

export function sessionFacts(session: { schoolId: string | null; trainers: ReadonlyArray<{ userId: string }> }) {
  return { schoolId: session.schoolId, trainerUserIds: session.trainers.map((t) => t.userId) };
}

type NamedRow = { personId: string; name: string };

/**
 * A session's closing outcome (issued, already held, not completed: names computed from the
 * whole roster, which closing must see) as the viewer may see it: a person they may not see
 * is left out of every list. On the close page that is nobody today (only the session's
 * trainers and administrators reach it), but the names pass the rule like any other.
 */
export async function closeOutcomeForViewer<O extends { issued: NamedRow[]; alreadyHeld: NamedRow[]; notCompleted: NamedRow[] }>(
  viewer: VisibilityViewer, sessionId: string, outcome: O,
): Promise<O & { hiddenCount: number }> {
  const session = await prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: { ...sessionFactsSelect, enrollments: { select: { person: { select: visiblePersonSelect } } } },
  });
  const facts = sessionFacts(session);
  const shown = new Set(shownOnly(viewer, session.enrollments.map((e) => e.person), { via: "session", session: facts, enrolled: true }).map((p) => p.id));
  const keep = <R extends NamedRow>(rows: R[]) => rows.filter((r) => shown.has(r.personId));
  return {
    ...outcome,
    issued: keep(outcome.issued),
    alreadyHeld: keep(outcome.alreadyHeld),
    notCompleted: keep(outcome.notCompleted),
    hiddenCount: session.enrollments.length - shown.size,
  };
}
