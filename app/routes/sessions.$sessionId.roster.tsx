import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useOutlet } from "@remix-run/react";
import { requireSessionAccess } from "~/guards.server";
import { removeEnrollment, RosterError } from "~/models/enrollment.server";
import { PersonInputError } from "~/models/person.server";
import { addToRoster, createAndEnroll, getRoster, listSchoolChoices, searchForRoster } from "~/models/roster.server";
import { AddPersonSchema, NewPersonSchema, RemoveSchema, SCHOOL_DEFAULT, SCHOOL_NONE, SearchSchema } from "~/forms/roster";
import { PERSON_KINDS, PERSON_KIND_LABELS, type PersonKindName } from "~/domain/roster-import";
import { parseForm, type FieldErrors } from "~/utils/forms";
import { CheckboxField, FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `Roster · ${d.roster.title ?? d.roster.program.name}` : "Roster" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const { q } = SearchSchema.parse({ q: new URL(request.url).searchParams.get("q") ?? undefined });
  const [roster, results, schools] = await Promise.all([
    getRoster(sessionId, user), q ? searchForRoster(sessionId, q, user) : Promise.resolve(null), listSchoolChoices(),
  ]);
  const defaultKind: PersonKindName = roster.audience === "STUDENTS" ? "STUDENT" : roster.audience === "COMMUNITY" ? "COMMUNITY" : "STAFF";
  // The session's school, even when it is no longer active (then not offered in the list).
  const sessionSchool = roster.school;
  // People the viewer may not see never reach this data (models/people-visibility.server.ts).
  return { roster, q, results, defaultKind, schools, sessionSchool };
}

type Lookalike = { id: string; districtId: string | null; firstName: string; lastName: string; email: string | null };
type ActionResult = {
  intent: "add" | "remove" | "create" | null;
  done?: string;
  error?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
  lookalikes?: Lookalike[];
};

const personName = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const formData = await request.formData();
  const intentValue = formData.get("intent");
  const intent = intentValue === "add" || intentValue === "remove" || intentValue === "create" ? intentValue : null;
  const fail = (result: Omit<ActionResult, "intent">, status: number) => data<ActionResult>({ intent, ...result }, { status });
  try {
    if (intent === "add") {
      const parsed = parseForm(formData, AddPersonSchema);
      if (!parsed.ok) return fail({ error: Object.values(parsed.errors)[0] }, 400);
      const result = await addToRoster(sessionId, parsed.data.personId, { overrideCapacity: parsed.data.overrideCapacity, actorId: user.id, viewer: user });
      const name = personName(result.person);
      return data<ActionResult>({ intent, done: result.added ? `Added ${name} to the roster.` : `${name} is already on the roster.` });
    }
    if (intent === "remove") {
      const parsed = parseForm(formData, RemoveSchema);
      if (!parsed.ok) return fail({ error: Object.values(parsed.errors)[0] }, 400);
      await removeEnrollment(sessionId, parsed.data.enrollmentId, user.id);
      return data<ActionResult>({ intent, done: "Removed from the roster." });
    }
    if (intent === "create") {
      const parsed = parseForm(formData, NewPersonSchema);
      if (!parsed.ok) return fail({ errors: parsed.errors, values: parsed.values }, 400);
      const { overrideCapacity, confirmNew, ...person } = parsed.data;
      const result = await createAndEnroll(sessionId, person, { overrideCapacity, confirmedDifferent: confirmNew, actorId: user.id, viewer: user });
      if (!result.created) {
        return fail({
          values: formValuesOf(formData),
          lookalikes: result.lookalikes,
          errors: { form: `Someone named ${person.firstName} ${person.lastName} with this email is already known. Add them instead, or tick "this is a different person" to create a new record.` },
        }, 409);
      }
      return data<ActionResult>({ intent, done: `Created ${personName(result.created)} and added them to the roster.` });
    }
    return fail({ error: "Choose add, remove or create." }, 400);
  } catch (error) {
    if (error instanceof RosterError) {
      // Capacity and a closed session are refusals of the whole request: nothing was added.
      const status = error.code === "not-found" ? 400 : 409;
      return intent === "create" ? fail({ errors: { form: error.message }, values: formValuesOf(formData) }, status) : fail({ error: error.message }, status);
    }
    if (error instanceof PersonInputError) return fail({ errors: { [error.field]: error.message }, values: formValuesOf(formData) }, 400);
    throw error;
  }
}

function formValuesOf(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of ["districtId", "firstName", "lastName", "email", "kind", "school"]) {
    const v = formData.get(key);
    if (typeof v === "string") values[key] = v;
  }
  return values;
}

/**
 * The import pages (roster.import, roster.mhfa-import) are this route's children by their file
 * names; they replace the roster on screen rather than sit inside it.
 */
export default function RosterRoute() {
  const outlet = useOutlet();
  return outlet ?? <RosterPage />;
}

function RosterPage() {
  const { roster, q, results, defaultKind, schools, sessionSchool } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const open = roster.status === "SCHEDULED";
  const full = roster.seatLimit != null && roster.enrolledCount >= roster.seatLimit;
  const searchError = result && (result.intent === "add" || result.intent === null) ? result.error : undefined;
  return (
    <>
      <p><Link to={`/sessions/${roster.id}`}>Back to the session</Link></p>
      <h1>Roster: {roster.title ?? `${roster.program.name} session`}</h1>
      <p>
        {roster.enrolledCount} enrolled
        {roster.seatLimit != null ? ` of ${roster.seatLimit} seats` : " (no seat limit)"}
        {full ? <> <span className="tag tag-warn">Full</span></> : null}
      </p>
      <div role="status" aria-live="polite">
        {navigation.state === "submitting" ? <p>Working…</p> : result?.done ? <p className="notice">{result.done}</p> : null}
      </div>
      {result?.error && result.intent !== "create" ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2>Nothing was changed</h2>
          <p>{result.error}</p>
        </div>
      ) : null}
      {!open ? <p className="notice">This session is closed or cancelled: reopen it to change the roster.</p> : null}
      <nav className="actions" aria-label="Roster imports">
        <Link className="button secondary" to="import">Import a roster CSV</Link>
        <Link className="button secondary" to="mhfa-import">Import an MHFA platform export</Link>
      </nav>

      <section className="panel" aria-labelledby="on-roster">
        <h2 id="on-roster">On the roster</h2>
        {roster.hiddenCount > 0 ? <p className="hint">{roster.hiddenCount} students of other schools are on this roster and not shown.</p> : null}
        {roster.enrollments.length === 0 ? (
          <p className="muted">{roster.hiddenCount > 0 ? "Nobody else is shown." : "Nobody is enrolled yet."}</p>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="remove" />
            <div className="table-wrap">
              <table>
                <caption>{roster.enrollments.length} people on this roster</caption>
                <PersonColumns />
                <tbody>
                  {roster.enrollments.map((e) => (
                    <tr key={e.id}>
                      <th scope="row">{e.person.lastName}, {e.person.firstName}</th>
                      <td>{e.person.districtId ?? "—"}</td>
                      <td>{e.person.email ?? "—"}</td>
                      <td>{PERSON_KIND_LABELS[e.person.kind]}</td>
                      <td>
                        {open ? (
                          <button type="submit" name="enrollmentId" value={e.id} className="secondary" aria-label={`Remove ${e.person.firstName} ${e.person.lastName}`}>
                            Remove
                          </button>
                        ) : null}
                        {e.attendanceCount > 0 ? <span className="hint"> (attendance recorded)</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Form>
        )}
      </section>

      <section className="panel" aria-labelledby="find">
        <h2 id="find">Add someone already known</h2>
        <Form method="get" className="search" role="search">
          <div className="field">
            <label htmlFor="roster-q">Name, email or district ID</label>
            <input id="roster-q" name="q" type="search" defaultValue={q} />
          </div>
          <button type="submit">Search</button>
        </Form>
        {searchError ? <p className="field-error">{searchError}</p> : null}
        {results === null ? null : results.length === 0 ? (
          <p>Nobody matches “{q}”. Create them below.</p>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="add" />
            <div className="field field-checkbox">
              <input type="checkbox" id="override-add" name="overrideCapacity" />
              <label htmlFor="override-add">Over capacity on purpose: add even if the session is full</label>
            </div>
            <div className="table-wrap">
              <table>
                <caption>People matching “{q}”</caption>
                <PersonColumns />
                <tbody>
                  {results.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">{p.lastName}, {p.firstName}</th>
                      <td>{p.districtId ?? "—"}</td>
                      <td>{p.email ?? "—"}</td>
                      <td>{PERSON_KIND_LABELS[p.kind]}</td>
                      <td>
                        {p.enrolled ? (
                          <span className="tag tag-ok">On the roster</span>
                        ) : open ? (
                          <button type="submit" name="personId" value={p.id} aria-label={`Add ${p.firstName} ${p.lastName}`}>Add</button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Form>
        )}
      </section>

      {open ? (
        <NewPersonForm result={result?.intent === "create" ? result : undefined} defaultKind={defaultKind} schools={schools} sessionSchool={sessionSchool} />
      ) : null}
    </>
  );
}

type SchoolChoice = { id: string; code: string; name: string };

function NewPersonForm({ result, defaultKind, schools, sessionSchool }: {
  result: ActionResult | undefined; defaultKind: PersonKindName; schools: SchoolChoice[]; sessionSchool: SchoolChoice | null;
}) {
  const { register, onSubmit, errorFor } = useValidatedForm(NewPersonSchema, result, { kind: defaultKind, school: SCHOOL_DEFAULT });
  // One default that works without JavaScript, whatever kind is chosen: the session's school
  // for staff and students, none for community partners (app/domain/membership-from-work.ts).
  const defaultLabel = sessionSchool
    ? `This session's school (${sessionSchool.name}); none for a community partner`
    : "None (this session is not held at a school)";
  const districtIdError = errorFor("districtId");
  const takenId = result?.errors?.districtId && result.values?.districtId ? result.values.districtId : null;
  return (
    <section className="panel" aria-labelledby="create">
      <h2 id="create">Create a person and add them</h2>
      <p className="hint">For someone not found above. Search first: a person created twice has to be merged later.</p>
      {result?.done ? null : <FormErrorSummary errors={result?.errors} />}
      {/* A fresh form after each person created, so the next one starts blank. */}
      <Form method="post" onSubmit={onSubmit} noValidate key={result?.done ?? "new-person"}>
        <TextField name="districtId" label="District ID (optional)" hint="Employee number or student ID. Community partners have none." error={districtIdError} register={register} autoComplete="off" />
        {takenId ? (
          <p><Link to={`?q=${encodeURIComponent(takenId)}#find`}>Search for district ID {takenId}</Link></p>
        ) : null}
        <TextField name="firstName" label="First name" error={errorFor("firstName")} register={register} autoComplete="off" />
        <TextField name="lastName" label="Last name" error={errorFor("lastName")} register={register} autoComplete="off" />
        <TextField name="email" label="Email (optional)" type="email" hint="Students need none." error={errorFor("email")} register={register} autoComplete="off" />
        <SelectField name="kind" label="Kind" error={errorFor("kind")} register={register}
          options={PERSON_KINDS.map((k) => ({ value: k, label: PERSON_KIND_LABELS[k] }))} />
        <SelectField name="school" label="School this school year" error={errorFor("school")} register={register}
          hint="Reach counts them at this school. Only when they have no school this year yet; a student only at this session's school."
          options={[
            { value: SCHOOL_DEFAULT, label: defaultLabel },
            { value: SCHOOL_NONE, label: "No school (a community partner, or someone from elsewhere)" },
            ...schools.map((s) => ({ value: s.id, label: `${s.name} (${s.code})` })),
          ]} />
        {result?.lookalikes?.length ? (
          <div className="notice">
            <p>Already known with this name and email:</p>
            <ul>
              {result.lookalikes.map((p) => (
                <li key={p.id}>
                  {p.firstName} {p.lastName}{p.districtId ? ` (${p.districtId})` : ""}{p.email ? `, ${p.email}` : ""}{" "}
                  <Link to={`?q=${encodeURIComponent(p.districtId ?? p.email ?? `${p.firstName} ${p.lastName}`)}#find`}>find and add them</Link>
                </li>
              ))}
            </ul>
            <CheckboxField name="confirmNew" label="This is a different person: create a new record" register={register} />
          </div>
        ) : null}
        <CheckboxField name="overrideCapacity" label="Over capacity on purpose: add even if the session is full" register={register} />
        <div className="actions">
          <SubmitButton name="intent" value="create">Create and add</SubmitButton>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Session not found", body: "This session does not exist, or it is not one you can see." } }} />;
}

/** The columns of both people tables on this page: the roster and the search results. */
function PersonColumns() {
  return (
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">District ID</th>
        <th scope="col">Email</th>
        <th scope="col">Kind</th>
        <th scope="col">Action</th>
      </tr>
    </thead>
  );
}
