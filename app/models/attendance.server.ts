import { prisma } from "~/db.server";
import { addMembershipFromWork, districtDay } from "~/models/roster.server";
import type { PersonKind } from "~/generated/prisma/client";
import type { AttendanceSheetData } from "~/forms/attendance";
import { statusField, postWorkField, evaluationField } from "~/forms/attendance";
import { lockForTransaction } from "~/db/dialect.server";
import {
  enrollPeople, recordAttendance, recordCompletionSteps, RosterError, sessionDayLock, sessionSeatsLock, type ClockOptions,
} from "~/models/enrollment.server";
import { createPerson, PersonInputError } from "~/models/person.server";
import { partitionPeople, sessionFacts, sessionFactsSelect, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";
import type { FieldErrors } from "~/utils/forms";

/**
 * The attendance sheet: the session's days and roster with marks, people as the viewer may see
 * them (person-visibility; anyone hidden is a count). Access was checked by the route's guard.
 */
export async function getAttendanceSheet(sessionId: string, viewer: VisibilityViewer) {
  const { trainers, schoolId, enrollments, ...sheet } = await prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      ...sessionFactsSelect,
      id: true, title: true, status: true,
      program: { select: { name: true, requiresAttendance: true, requiresPostWork: true, requiresEvaluation: true } },
      days: { orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true, endsAt: true } },
      enrollments: {
        orderBy: [{ person: { lastName: "asc" } }, { person: { firstName: "asc" } }],
        select: {
          id: true, postWorkCompletedOn: true, evaluationCompletedOn: true,
          person: { select: visiblePersonSelect },
          attendance: { select: { sessionDayId: true, status: true, method: true } },
        },
      },
    },
  });
  const facts = sessionFacts({ schoolId, trainers });
  const { shown, hiddenCount } = partitionPeople(viewer, enrollments, () => ({ via: "session", session: facts, enrolled: true }));
  return { ...sheet, enrollments: shown, hiddenCount };
}

export type AttendanceSheet = Awaited<ReturnType<typeof getAttendanceSheet>>;

export type SaveOutcome = { ok: true; changed: number } | { ok: false; status: 400 | 409; errors: FieldErrors };

/**
 * Saves a sheet for one day. Every row must be on this session's roster and the day one of
 * its days; otherwise nothing is written and the offending fields are named.
 */
export async function saveAttendanceSheet(
  sessionId: string, input: AttendanceSheetData, opts: { actorId: string; method: "MANUAL" | "PAPER" } & ClockOptions,
): Promise<SaveOutcome> {
  const session = await prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      status: true,
      program: { select: { requiresPostWork: true, requiresEvaluation: true } },
      days: { select: { id: true } },
      enrollments: { select: { id: true } },
    },
  });
  const errors: FieldErrors = {};
  if (!session.days.some((d) => d.id === input.dayId)) errors.dayId = "Choose a day of this session";
  const onRoster = new Set(session.enrollments.map((e) => e.id));
  const notOnRoster = "That person is not on this session's roster";
  for (const m of input.marks) if (!onRoster.has(m.enrollmentId)) errors[statusField(m.enrollmentId)] = notOnRoster;
  for (const p of input.postWork) if (!onRoster.has(p.enrollmentId)) errors[postWorkField(p.enrollmentId)] = notOnRoster;
  for (const e of input.evaluation) if (!onRoster.has(e.enrollmentId)) errors[evaluationField(e.enrollmentId)] = notOnRoster;
  if (Object.keys(errors).length) return { ok: false, status: 400, errors };
  if (session.status !== "SCHEDULED") return { ok: false, status: 409, errors: { form: "This session is closed or cancelled; reopen it to change attendance" } };

  // Steps the program does not ask for are not recorded from this sheet.
  const steps = new Map<string, { enrollmentId: string; postWorkCompletedOn?: Date | null; evaluationCompletedOn?: Date | null }>();
  if (session.program.requiresPostWork) {
    for (const p of input.postWork) steps.set(p.enrollmentId, { ...steps.get(p.enrollmentId), enrollmentId: p.enrollmentId, postWorkCompletedOn: p.completedOn });
  }
  if (session.program.requiresEvaluation) {
    for (const e of input.evaluation) steps.set(e.enrollmentId, { ...steps.get(e.enrollmentId), enrollmentId: e.enrollmentId, evaluationCompletedOn: e.completedOn });
  }
  try {
    // One transaction: a refused step (a future date) leaves the marks unwritten too.
    return await prisma.$transaction(async (tx) => {
      // As check-in does: a mark is read, then written, while people may be scanning in.
      await lockForTransaction(tx, sessionDayLock(input.dayId));
      const marks = await recordAttendance(
        sessionId, input.marks.map((m) => ({ enrollmentId: m.enrollmentId, sessionDayId: input.dayId, status: m.status })), opts, tx,
      );
      const done = steps.size ? await recordCompletionSteps(sessionId, [...steps.values()], opts.actorId, opts, tx) : { changed: 0 };
      return { ok: true as const, changed: marks.changed + done.changed };
    });
  } catch (error) {
    if (error instanceof RosterError) return { ok: false, status: 409, errors: { form: error.message } };
    throw error;
  }
}

export type WalkIn =
  | { personId: string }
  | { newPerson: { firstName: string; lastName: string; districtId?: string; email?: string; kind: PersonKind } };

/**
 * A walk-in from a paper sheet: finds or creates the person, adds them to the roster (over
 * capacity is allowed: they were in the room) and marks them present on the day, all at once.
 */
export async function addWalkIn(
  sessionId: string, sessionDayId: string, who: WalkIn, actorId: string,
): Promise<{ ok: true; name: string } | { ok: false; status: 400 | 409; errors: FieldErrors }> {
  const day = await prisma.sessionDay.findFirst({ where: { id: sessionDayId, sessionId }, select: { id: true, startsAt: true, session: { select: { schoolId: true } } } });
  if (!day) return { ok: false, status: 400, errors: { dayId: "Choose a day of this session" } };
  try {
    return await prisma.$transaction(async (tx) => {
      // Seats before the day, in every transaction that takes both, so two never wait on each other.
      await lockForTransaction(tx, sessionSeatsLock(sessionId));
      await lockForTransaction(tx, sessionDayLock(sessionDayId));
      const person = "personId" in who
        ? await tx.person.findFirst({ where: { id: who.personId, mergedIntoId: null }, select: { id: true, firstName: true, lastName: true } })
        : await createPerson(who.newPerson, actorId, tx);
      if (!person) throw new PersonInputError("personId", "Choose a person from the search results");
      await enrollPeople(sessionId, [person.id], { overrideCapacity: true, actorId, source: "paper" }, tx);
      // As for a walk-in approved at the door: staff and students with no school that year belong to the session's
      // school from now on (app/domain/membership-from-work.ts); community partners get none.
      const { kind } = await tx.person.findUniqueOrThrow({ where: { id: person.id }, select: { kind: true } });
      const actor = await tx.user.findUniqueOrThrow({ where: { id: actorId }, select: { id: true, role: true } });
      await addMembershipFromWork(tx, {
        personId: person.id, kind, sessionSchoolId: day.session.schoolId, day: districtDay(day.startsAt), named: { use: "default" }, viewer: actor, source: "paper",
      });
      const enrollment = await tx.enrollment.findUniqueOrThrow({ where: { sessionId_personId: { sessionId, personId: person.id } }, select: { id: true } });
      await recordAttendance(sessionId, [{ enrollmentId: enrollment.id, sessionDayId, status: "PRESENT" }], { actorId, method: "PAPER" }, tx);
      return { ok: true as const, name: `${person.firstName} ${person.lastName}` };
    });
  } catch (error) {
    if (error instanceof PersonInputError) return { ok: false, status: 400, errors: { [error.field]: error.message } };
    if (error instanceof RosterError) return { ok: false, status: 409, errors: { form: error.message } };
    throw error;
  }
}

/** What a printed sign-in sheet shows: no emails, and no district ID of a student (person-visibility, "printed"). */
export async function getSignInSheet(sessionId: string, viewer: VisibilityViewer) {
  const { schoolId, ...session } = await prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      schoolId: true,
      id: true, title: true, status: true, format: true, siteName: true,
      program: { select: { name: true } },
      school: { select: { name: true } },
      days: { orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true, endsAt: true } },
      trainers: { orderBy: { role: "asc" }, select: { role: true, userId: true, user: { select: { name: true } } } },
      enrollments: {
        orderBy: [{ person: { lastName: "asc" } }, { person: { firstName: "asc" } }],
        select: { id: true, person: { select: visiblePersonSelect } },
      },
    },
  });
  const facts = { schoolId, trainerUserIds: session.trainers.map((t) => t.userId) };
  const { shown, hiddenCount } = partitionPeople(viewer, session.enrollments, () => ({ via: "session", session: facts, enrolled: true, printed: true }));
  return {
    ...session,
    trainers: session.trainers.map((t) => ({ role: t.role, name: t.user.name })),
    enrollments: shown.map((e) => ({ id: e.id, name: `${e.person.lastName}, ${e.person.firstName}`, districtId: e.person.districtId })),
    hiddenCount,
  };
}

const calendarDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** One row per person for a day of the sheet, as the attendance form shows it. */
export function sheetRows(sheet: AttendanceSheet, dayId: string) {
  return sheet.enrollments.map((e) => {
    const mark = e.attendance.find((a) => a.sessionDayId === dayId);
    return {
      id: e.id,
      name: `${e.person.firstName} ${e.person.lastName}`,
      status: mark?.status ?? null,
      method: mark?.method ?? null,
      postWorkOn: calendarDay(e.postWorkCompletedOn),
      evaluationOn: calendarDay(e.evaluationCompletedOn),
    };
  });
}
