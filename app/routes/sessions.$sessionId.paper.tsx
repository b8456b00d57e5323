import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireSessionAccess } from "~/guards.server";
import { getEnv } from "~/env.server";
import { attendanceRefusal, chooseSessionDay } from "~/domain/session-day";
import { dateInZone } from "~/domain/time";
import {
  attendanceSheetSchema, echoValues, PERSON_KIND_LABELS, PERSON_KINDS, WalkInExistingSchema, WalkInNewSchema, walkInQuery,
} from "~/forms/attendance";
import { addWalkIn, getAttendanceSheet, saveAttendanceSheet, sheetRows } from "~/models/attendance.server";
import { findPersonToAdd, searchPeople } from "~/models/person.server";
import { AttendanceSheetForm, DayPicker, namedSheetErrors } from "~/components/attendance-sheet";
import { FormErrorSummary, SelectField, TextField } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";
import { parseForm } from "~/utils/forms";
import { useTimeZone } from "~/utils/use-time-zone";
import attendanceStyles from "~/styles/attendance.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: attendanceStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Paper sign-in sheet: ${data.session.title ?? data.session.program.name}` : "Paper sign-in sheet" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const { DISTRICT_TIME_ZONE: timeZone } = getEnv();
  const now = new Date();
  const url = new URL(request.url);
  const sheet = await getAttendanceSheet(sessionId, user);
  const day = chooseSessionDay(sheet.days, url.searchParams.get("day"), now, timeZone);
  const search = walkInQuery(url);
  const onRoster = new Set(sheet.enrollments.map((e) => e.person.id));
  const found = search.q ? await searchPeople(search.q, { viewer: user, sessionId }, 20) : [];
  return {
    session: { id: sheet.id, title: sheet.title, status: sheet.status, program: sheet.program },
    days: sheet.days,
    day,
    dayNumber: day ? sheet.days.indexOf(day) + 1 : 0,
    rows: day ? sheetRows(sheet, day.id) : [],
    today: dateInZone(now, timeZone),
    notStarted: day ? attendanceRefusal(day, now, timeZone) : null,
    search: { q: search.q, error: search.error ?? null, results: found.map((p) => ({ ...p, onRoster: onRoster.has(p.id) })) },
  };
}

type Intent = "save" | "add-existing" | "add-new";

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const form = await request.formData();
  const intent = form.get("intent");
  const fail = (which: Intent | null, errors: Record<string, string>, status: number) =>
    data({ intent: which, errors, values: echoValues(form), saved: null, added: null }, { status });

  if (intent === "save") {
    const parsed = parseForm(form, attendanceSheetSchema(dateInZone(new Date(), getEnv().DISTRICT_TIME_ZONE)));
    if (!parsed.ok) return fail("save", parsed.errors, 400);
    const outcome = await saveAttendanceSheet(sessionId, parsed.data, { actorId: user.id, method: "PAPER" });
    if (!outcome.ok) return fail("save", outcome.errors, outcome.status);
    return { intent: "save" as const, errors: undefined, values: undefined, saved: outcome.changed, added: null };
  }
  if (intent === "add-existing" || intent === "add-new") {
    let outcome: Awaited<ReturnType<typeof addWalkIn>>;
    if (intent === "add-existing") {
      const parsed = parseForm(form, WalkInExistingSchema);
      if (!parsed.ok) return fail(intent, parsed.errors, 400);
      // Only someone the search could have shown this viewer (person-visibility).
      if (!(await findPersonToAdd(parsed.data.personId, { viewer: user, sessionId }))) return fail(intent, { personId: "Choose a person from the search results" }, 400);
      outcome = await addWalkIn(sessionId, parsed.data.dayId, { personId: parsed.data.personId }, user.id);
    } else {
      const parsed = parseForm(form, WalkInNewSchema);
      if (!parsed.ok) return fail(intent, parsed.errors, 400);
      const { dayId, ...newPerson } = parsed.data;
      outcome = await addWalkIn(sessionId, dayId, { newPerson }, user.id);
    }
    if (!outcome.ok) return fail(intent, outcome.errors, outcome.status);
    return { intent, errors: undefined, values: undefined, saved: null, added: outcome.name };
  }
  return fail(null, { intent: "Choose to save the sheet or to add a walk-in" }, 400);
}

export default function PaperSheetPage() {
  const { session, days, day, dayNumber, rows, today, notStarted, search } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const timeZone = useTimeZone();
  const editable = session.status === "SCHEDULED";
  const sheetErrors = actionData?.intent === "save" ? actionData.errors : undefined;
  const existingErrors = actionData?.intent === "add-existing" ? actionData.errors : undefined;
  const newErrors = actionData?.intent === "add-new" ? actionData.errors : undefined;
  const newValues = actionData?.intent === "add-new" ? actionData.values : undefined;
  return (
    <>
      <p><Link to={`/sessions/${session.id}/attendance${day ? `?day=${day.id}` : ""}`}>Back to attendance</Link></p>
      <h1>Enter a paper sign-in sheet: {session.title ?? session.program.name}</h1>
      <p className="hint">Marks saved here are recorded as taken from a paper sheet.</p>
      {!editable ? <p className="notice" role="status">This session is {session.status === "CLOSED" ? "closed" : "cancelled"}; reopen it to change attendance.</p> : null}
      {actionData?.saved != null ? <p className="notice" role="status">Saved: {actionData.saved} {actionData.saved === 1 ? "change" : "changes"} recorded from the paper sheet.</p> : null}
      {actionData?.added ? <p className="notice" role="status">{actionData.added} was added to the roster and marked present.</p> : null}
      {actionData?.intent === null ? <FormErrorSummary errors={actionData.errors} /> : null}
      {!day ? (
        <p className="muted">This session has no days yet: add them by editing the session.</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="sheet-heading">
            <h2 id="sheet-heading">Day {dayNumber} of {days.length}</h2>
            <DayPicker days={days} currentId={day.id} timeZone={timeZone} label="Choose the day of the sheet" />
            <FormErrorSummary errors={namedSheetErrors(sheetErrors, rows, dayNumber)} />
            {rows.length === 0 ? (
              <p className="muted">Nobody is on the roster yet: add the people on the sheet below.</p>
            ) : (
              <AttendanceSheetForm
                day={day} dayNumber={dayNumber} rows={rows} editable={editable} notStarted={notStarted} today={today} timeZone={timeZone}
                requiresPostWork={session.program.requiresPostWork} requiresEvaluation={session.program.requiresEvaluation}
                errors={sheetErrors} values={actionData?.intent === "save" ? actionData.values : undefined} submitLabel="Save the paper sheet"
              />
            )}
          </section>
          {editable ? (
            <section className="panel" aria-labelledby="walk-ins">
              <h2 id="walk-ins">Walk-ins on the sheet</h2>
              <p className="hint">People who signed the sheet but were not on the roster: find them, or add them if they are new. They are added to the roster (even over capacity) and marked present on day {dayNumber}.</p>
              <div className="walk-in-grid">
                <div>
                  <h3>Find someone</h3>
                  <Form method="get" className="search" role="search" aria-label="Find a walk-in">
                    <input type="hidden" name="day" value={day.id} />
                    <TextField name="q" label="District ID, name or email" defaultValue={search.q} error={search.error ?? undefined} maxLength={100} />
                    <button type="submit" className="secondary">Search</button>
                  </Form>
                  <FormErrorSummary errors={existingErrors} />
                  {search.q ? (
                    search.results.length === 0 ? (
                      <p className="muted">Nobody found for “{search.q}”. Add them as a new person.</p>
                    ) : (
                      <div className="table-wrap">
                        <table>
                          <caption>{search.results.length} found for “{search.q}”</caption>
                          <thead><tr><th scope="col">Name</th><th scope="col">District ID</th><th scope="col">Kind</th><th scope="col"><span className="visually-hidden">Action</span></th></tr></thead>
                          <tbody>
                            {search.results.map((p) => (
                              <tr key={p.id}>
                                <th scope="row">{p.lastName}, {p.firstName}{p.email ? <div className="muted">{p.email}</div> : null}</th>
                                <td>{p.districtId ?? "—"}</td>
                                <td>{PERSON_KIND_LABELS[p.kind]}</td>
                                <td>
                                  <Form method="post">
                                    <input type="hidden" name="intent" value="add-existing" />
                                    <input type="hidden" name="dayId" value={day.id} />
                                    <input type="hidden" name="personId" value={p.id} />
                                    <button type="submit" className="secondary">
                                      {p.onRoster ? "Mark present" : "Add and mark present"}<span className="visually-hidden">: {p.firstName} {p.lastName}</span>
                                    </button>
                                  </Form>
                                </td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </div>
                    )
                  ) : null}
                </div>
                <div>
                  <h3>Add a new person</h3>
                  <FormErrorSummary errors={newErrors} />
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="add-new" />
                    <input type="hidden" name="dayId" value={day.id} />
                    <TextField name="firstName" label="First name" error={newErrors?.firstName} defaultValue={newValues?.firstName} maxLength={80} autoComplete="off" />
                    <TextField name="lastName" label="Last name" error={newErrors?.lastName} defaultValue={newValues?.lastName} maxLength={80} autoComplete="off" />
                    <SelectField
                      name="kind" label="Kind" error={newErrors?.kind} defaultValue={newValues?.kind ?? "COMMUNITY"}
                      options={PERSON_KINDS.map((k) => ({ value: k, label: PERSON_KIND_LABELS[k] }))}
                    />
                    <TextField name="districtId" label="District ID (staff and students)" hint="Leave blank for community partners." error={newErrors?.districtId} defaultValue={newValues?.districtId} maxLength={40} autoComplete="off" />
                    <TextField name="email" label="Email (optional)" type="email" error={newErrors?.email} defaultValue={newValues?.email} maxLength={200} autoComplete="off" />
                    <button type="submit">Add and mark present</button>
                  </Form>
                </div>
              </div>
            </section>
          ) : null}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Session not found", body: "This session does not exist, or it is not one you can see." } }} />;
}
