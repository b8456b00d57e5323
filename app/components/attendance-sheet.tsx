import { Form, Link } from "@remix-run/react";
import { ATTENDANCE_CHOICES, ATTENDANCE_LABELS, evaluationField, postWorkField, statusField } from "~/forms/attendance";
import { formatDateTime, formatTime } from "~/utils/format";

export type SheetDay = { id: string; startsAt: Date | string; endsAt: Date | string };
export type SheetRow = {
  id: string;
  name: string;
  status: "PRESENT" | "ABSENT" | "PARTIAL" | null;
  method: string | null;
  postWorkOn: string | null;
  evaluationOn: string | null;
};

export function dayLabel(day: SheetDay, timeZone: string): string {
  return `${formatDateTime(day.startsAt, timeZone)} – ${formatTime(day.endsAt, timeZone)}`;
}

/** Links to each day of the session (?day=<id>); the current one is marked for screen readers. */
export function DayPicker({ days, currentId, timeZone, label, extraSearch = "" }: {
  days: SheetDay[]; currentId: string | null; timeZone: string; label: string; extraSearch?: string;
}) {
  if (days.length < 2) return null;
  return (
    <nav className="day-picker no-print" aria-label={label}>
      <ul>
        {days.map((d, i) => (
          <li key={d.id}>
            <Link to={`?day=${d.id}${extraSearch}`} aria-current={d.id === currentId ? "page" : undefined}>
              Day {i + 1}: {formatDateTime(d.startsAt, timeZone)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Field errors for the summary, each naming the person (and day) it is about. */
export function namedSheetErrors(errors: Record<string, string> | undefined, rows: SheetRow[], dayNumber: number) {
  if (!errors) return undefined;
  const named: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const [kind, id] = field.split(":");
    const row = id ? rows.find((r) => r.id === id) : undefined;
    const who = row ? row.name : id ? "Someone not on this roster" : null;
    const what = kind === "status" ? `day ${dayNumber}` : kind === "postWork" ? "post-work" : kind === "evaluation" ? "evaluation" : null;
    // Date messages already name their field ("Post-work date: 2026-02-30 is not a real date").
    const namesField = kind === "postWork" || kind === "evaluation" ? /^(Post-work|Evaluation) date\b/.test(message) : false;
    named[field] = who && namesField ? `${who}, ${message.charAt(0).toLowerCase()}${message.slice(1)}` : who && what ? `${who}, ${what}: ${message}` : message;
  }
  return named;
}

/**
 * One day's attendance (and post-work / evaluation dates where the program asks for them) as a
 * plain form: a labelled radio group per person, so it works without JavaScript and with a
 * screen reader ("José Núñez, day 2").
 */
export function AttendanceSheetForm({
  day, dayNumber, rows, requiresPostWork, requiresEvaluation, editable, notStarted = null, errors, values, today, timeZone, submitLabel,
}: {
  day: SheetDay; dayNumber: number; rows: SheetRow[]; requiresPostWork: boolean; requiresEvaluation: boolean; editable: boolean;
  /** Why this day's marks cannot be recorded yet (attendanceRefusal), or null. The server refuses them regardless. */
  notStarted?: string | null;
  errors?: Record<string, string>; values?: Record<string, string>; today: string; timeZone: string; submitLabel: string;
}) {
  const choices = [...ATTENDANCE_CHOICES, ""] as const;
  const noticeId = `not-started-${day.id}`;
  // Post-work and evaluation dates stay editable on a future day's sheet: they belong to the person, not the day.
  const stepsOnly = notStarted !== null && (requiresPostWork || requiresEvaluation);
  const valueOf = (field: string, current: string | null) => values?.[field] ?? current ?? "";
  return (
    <Form method="post" className="sheet" key={day.id} noValidate>
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="dayId" value={day.id} />
      {notStarted ? <p className="notice" role="status" id={noticeId}>{notStarted}</p> : null}
      <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="table-wrap">
          <table>
            <caption>
              Day {dayNumber}, {dayLabel(day, timeZone)}: {rows.length} {rows.length === 1 ? "person" : "people"} on the roster
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Attendance, day {dayNumber}</th>
                {requiresPostWork ? <th scope="col">Post-work done on</th> : null}
                {requiresEvaluation ? <th scope="col">Evaluation done on</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const status = statusField(row.id);
                const statusError = errors?.[status];
                const current = valueOf(status, row.status);
                return (
                  <tr key={row.id}>
                    <th scope="row">
                      {row.name}
                      {row.method === "QR" ? <span className="tag tag-muted"> QR</span> : null}
                    </th>
                    <td className={statusError ? "cell-invalid" : undefined}>
                      <fieldset
                        className="mark-group" id={`field-${status}`} disabled={notStarted !== null}
                        aria-describedby={[statusError ? `${status}-error` : "", notStarted ? noticeId : ""].filter(Boolean).join(" ") || undefined}
                      >
                        <legend className="visually-hidden">{row.name}, day {dayNumber}</legend>
                        {choices.map((choice) => (
                          <label key={choice || "none"}>
                            <input type="radio" name={status} value={choice} defaultChecked={current === choice} />
                            {ATTENDANCE_LABELS[choice]}
                          </label>
                        ))}
                      </fieldset>
                      {statusError ? <p className="field-error" id={`${status}-error`}>{statusError}</p> : null}
                    </td>
                    {requiresPostWork ? (
                      <DateCell field={postWorkField(row.id)} label={`${row.name}, post-work done on (blank: not done)`} value={valueOf(postWorkField(row.id), row.postWorkOn)} error={errors?.[postWorkField(row.id)]} today={today} />
                    ) : null}
                    {requiresEvaluation ? (
                      <DateCell field={evaluationField(row.id)} label={`${row.name}, evaluation done on (blank: not done)`} value={valueOf(evaluationField(row.id), row.evaluationOn)} error={errors?.[evaluationField(row.id)]} today={today} />
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {editable && rows.length && (notStarted === null || stepsOnly) ? (
          <div className="actions">
            <button type="submit">{stepsOnly ? "Save post-work and evaluation dates" : submitLabel}</button>
          </div>
        ) : null}
      </fieldset>
    </Form>
  );
}

function DateCell({ field, label, value, error, today }: { field: string; label: string; value: string; error?: string; today: string }) {
  return (
    <td className={error ? "cell-invalid" : undefined}>
      <label className="visually-hidden" htmlFor={`field-${field}`}>{label}</label>
      <input
        type="date" id={`field-${field}`} name={field} defaultValue={value} max={today}
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${field}-error` : undefined}
      />
      {error ? <p className="field-error" id={`${field}-error`}>{error}</p> : null}
    </td>
  );
}
