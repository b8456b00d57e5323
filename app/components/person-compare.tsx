import { Link } from "@remix-run/react";
import { formatSchoolYear } from "~/domain/school-year";
import { formatDate } from "~/utils/format";

const KIND_WORDS = { STAFF: "Staff", STUDENT: "Student", COMMUNITY: "Community partner" } as const;

/** What the comparison shows of one record (a person's record as the loader sends it). */
export type ComparedRecord = {
  person: {
    id: string; firstName: string; lastName: string; districtId: string | null; email: string | null; kind: keyof typeof KIND_WORDS;
    createdAt: string | Date;
    mergedInto: { hidden: true; label: string } | { hidden: false; id: string; name: string } | null;
    mergedFrom: Array<{ hidden: true; label: string } | { hidden: false; id: string; name: string }>;
  };
  memberships: Array<{ schoolYear: number; schoolName: string; schoolCode: string; title: string | null }>;
  sessions: Array<{ sessionId: string; title: string | null; programName: string; firstDay: string | Date | null; certified: boolean }>;
  certifications: Array<{ id: string; programName: string; issuedOn: string | Date; expiresOn: string | Date | null; status: { label: string } }>;
};

/** One record's column of the side-by-side comparison: identity, memberships by year, sessions, certificates. */
export function ComparedPerson({ label, record, headingId }: { label: string; record: ComparedRecord; headingId: string }) {
  const { person, memberships, sessions, certifications } = record;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {label}: <Link to={`/people/${person.id}`}>{person.firstName} {person.lastName}</Link>
      </h2>
      {person.mergedInto ? <p className="notice">Already merged into {person.mergedInto.hidden ? "another record" : person.mergedInto.name}.</p> : null}
      <dl className="facts">
        <dt>District ID</dt>
        <dd>{person.districtId ?? <span className="muted">None</span>}</dd>
        <dt>Email</dt>
        <dd>{person.email ?? <span className="muted">None</span>}</dd>
        <dt>Kind</dt>
        <dd>{KIND_WORDS[person.kind]}</dd>
        <dt>Record created</dt>
        <dd>{formatDate(person.createdAt)}</dd>
        <dt>Records merged into it</dt>
        <dd>{person.mergedFrom.length === 0 ? <span className="muted">None</span> : person.mergedFrom.map((m) => (m.hidden ? m.label : m.name)).join(", ")}</dd>
      </dl>
      <h3>Memberships by school year</h3>
      {memberships.length === 0 ? (
        <p className="muted">None recorded.</p>
      ) : (
        <ul>
          {memberships.map((m) => (
            <li key={`${m.schoolYear}-${m.schoolCode}`}>{formatSchoolYear(m.schoolYear)}: {m.schoolName} ({m.schoolCode}){m.title ? `, ${m.title}` : ""}</li>
          ))}
        </ul>
      )}
      <h3>Sessions</h3>
      {sessions.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {sessions.map((s) => (
            <li key={s.sessionId}>
              <Link to={`/sessions/${s.sessionId}`}>{s.title ?? s.programName}</Link>, {s.firstDay ? formatDate(s.firstDay) : "no dates"}{s.certified ? " (certified)" : ""}
            </li>
          ))}
        </ul>
      )}
      <h3>Certificates</h3>
      {certifications.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {certifications.map((c) => (
            <li key={c.id}>
              {c.programName}, issued {formatDate(c.issuedOn)}, {c.expiresOn ? `expires ${formatDate(c.expiresOn)}` : "never expires"}: {c.status.label}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
