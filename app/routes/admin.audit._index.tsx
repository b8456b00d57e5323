import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { getEnv } from "~/env.server";
import { auditFilterInput, readAuditTrail, resolveAuditFilters } from "~/models/audit-trail.server";
import { AUDIT_KINDS } from "~/domain/audit-words";
import { FormErrorSummary, SelectField, TextField } from "~/components/form";
import { AuditTrail, trailHref } from "~/components/audit-trail";

export const meta: MetaFunction = () => [{ title: "Audit trail · Administration" }];

/** GET /admin/audit: every recorded change, in plain words, filtered and paged (administrators only). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const url = new URL(request.url);
  const values = auditFilterInput(url.searchParams);
  const timeZone = getEnv().DISTRICT_TIME_ZONE;
  const resolved = await resolveAuditFilters(values, timeZone);
  const kinds = Object.entries(AUDIT_KINDS).map(([value, k]) => ({ value, label: k.label }));
  if (!resolved.ok) {
    // The link to older events is not a field: its problem is the form's.
    const { before, ...fields } = resolved.errors;
    const errors: Record<string, string> = { ...fields, ...(before ? { form: before } : {}) };
    return data({ ok: false as const, errors, choices: resolved.choices, values, kinds, chosen: { person: null, session: null }, described: [], entries: [], nextCursor: null }, { status: 400 });
  }
  // Filtered by a person, an event about several tells that person's part; by a session, the heading names it.
  const context = { personId: resolved.filters.personId, sessionId: resolved.filters.sessionId };
  const page = await readAuditTrail(user, resolved.filters, { cursor: resolved.cursor, timeZone, context });
  const errors: Record<string, string> = {};
  return { ok: true as const, errors, choices: [], values, kinds, chosen: resolved.chosen, described: resolved.described, entries: page.entries, nextCursor: page.nextCursor };
}

export default function AuditPage() {
  const d = useLoaderData<typeof loader>();
  const location = useLocation();
  const v = d.values;
  // Links keep the filters; a chosen person or session travels as its id.
  const params: Record<string, string> = { ...v };
  const exportQuery = new URLSearchParams(Object.entries(params).filter(([k, value]) => value !== "" && k !== "before")).toString();
  const paged = v.before !== "";
  const filtered = Object.entries(v).some(([k, value]) => k !== "before" && value !== "");
  return (
    <>
      <p><Link to="/admin">← Administration</Link></p>
      <h1>Audit trail</h1>
      <p className="muted">Every recorded change to sessions, attendance, certificates, people and settings: who did what, and when, newest first.</p>
      <FormErrorSummary errors={d.errors} />
      <section aria-labelledby="filter-heading">
        <h2 id="filter-heading">Filter</h2>
        <Form method="get" key={location.search} aria-labelledby="filter-heading">
          {d.chosen.person && !v.person ? <input type="hidden" name="personId" value={v.personId} /> : null}
          {d.chosen.session && !v.session ? <input type="hidden" name="sessionId" value={v.sessionId} /> : null}
          <TextField
            name="person" label="Person" type="search" defaultValue={v.person} maxLength={200} error={d.errors.person}
            hint={d.chosen.person && !v.person ? <>Showing events about {d.chosen.person}. Type a name or district ID to choose someone else.</> : "A name or a district ID"}
          />
          <TextField
            name="session" label="Session" type="search" defaultValue={v.session} maxLength={200} error={d.errors.session}
            hint={d.chosen.session && !v.session ? <>Showing events of {d.chosen.session}. Type words of another title to change it.</> : "Words of the session's title, or its id"}
          />
          <TextField name="certificate" label="Certificate" type="search" defaultValue={v.certificate} maxLength={200} error={d.errors.certificate} hint="Its verification code (or check address), or its id" />
          <TextField name="actor" label="Done by" type="search" defaultValue={v.actor} maxLength={200} error={d.errors.actor} hint="A user's name or email" />
          <SelectField name="kind" label="Kind" defaultValue={v.kind} error={d.errors.kind} options={[{ value: "", label: "Every kind" }, ...d.kinds, ...(v.kind && !d.kinds.some((k) => k.value === v.kind) ? [{ value: v.kind, label: v.kind }] : [])]} />
          <TextField name="from" label="From date" type="date" defaultValue={v.from} error={d.errors.from} hint="YYYY-MM-DD, in the district's time zone" />
          <TextField name="to" label="To date" type="date" defaultValue={v.to} error={d.errors.to} hint="YYYY-MM-DD, included" />
          <div className="actions">
            <button type="submit">Show events</button>
            <Link to="/admin/audit">Clear filters</Link>
          </div>
        </Form>
        {d.choices.map((c) => (
          <div key={c.field} className="panel">
            <h3 id={`choose-${c.field}`}>Choose the {c.field}</h3>
            <ul aria-labelledby={`choose-${c.field}`}>
              {c.options.map((o) => {
                const search = new URLSearchParams(Object.entries({ ...params, [c.field]: "", [c.param]: o.value, before: "" }).filter(([, value]) => value !== ""));
                return <li key={o.value}><Link to={`?${search.toString()}`}>{o.label}</Link></li>;
              })}
            </ul>
          </div>
        ))}
      </section>
      {d.ok ? (
        <section aria-labelledby="events-heading">
          <h2 id="events-heading">Events{d.described.length ? ` ${d.described.join(", ")}` : ""}</h2>
          <p><a href={`/admin/audit/export.csv${exportQuery ? `?${exportQuery}` : ""}`} download>Download these events (CSV)</a></p>
          <AuditTrail
            label="Audit events, newest first"
            entries={d.entries}
            empty={paged ? "No older events." : filtered ? "No events match these filters." : "No changes have been recorded yet."}
            olderHref={d.nextCursor ? trailHref("/admin/audit", params, d.nextCursor) : null}
            newestHref={paged ? trailHref("/admin/audit", params, null) : null}
          />
        </section>
      ) : null}
    </>
  );
}
