/**
 * Reconciling an MHFA platform export with the session it is imported into: pure rules, no
 * database. Which of the export's courses ran on other dates than the session's days, where the
 * platform's "Completed" meets an absence the trainer recorded, and who is on the roster but not
 * in the export. Every message names the line, so a trainer can find it in the file.
 */

/** A session day as the import compares it: its id and its calendar date in the district (YYYY-MM-DD). */
export type SessionDate = { id: string; date: string };

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** "2025-11-14" → "Nov 14, 2025" (a calendar date: no time zone shifts it). */
export function humanDate(iso: string): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

const range = (from: string, to: string) => (from === to ? humanDate(from) : `${humanDate(from)} to ${humanDate(to)}`);

/**
 * The course on a line ran outside the session's days: it started before the session's first day
 * or after its last, or ended before the first. The end date may be later than the last day
 * (blended courses finish with post-work), so that alone is not flagged. null when it fits, or
 * when the session has no days (the page says so on its own).
 */
export function courseOutsideSession(
  row: { line: number; startDate: Date | null; endDate: Date | null; course?: string | null },
  days: readonly SessionDate[],
): string | null {
  if (days.length === 0) return null;
  const first = days[0].date;
  const last = days[days.length - 1].date;
  const start = row.startDate ? isoDate(row.startDate) : null;
  const end = row.endDate ? isoDate(row.endDate) : null;
  const outside = (start !== null && (start < first || start > last)) || (end !== null && end < first);
  if (!outside) return null;
  const course = row.course ? `the course "${row.course}"` : "the course";
  const ran = start && end ? `ran ${range(start, end)}` : start ? `started ${humanDate(start)}` : `ended ${humanDate(end ?? first)}`;
  return `Line ${row.line}: ${course} ${ran}, outside this session's days (${range(first, last)}). Check that the export is of this session's course.`;
}

/** What the trainer chose where the platform says Completed and the trainer recorded an absence. */
export type AbsentChoice = "keep-absent" | "platform";

export function parseAbsentChoice(value: unknown): AbsentChoice | null {
  return value === "keep-absent" || value === "platform" ? value : null;
}

export type AbsentConflict = {
  line: number;
  personId: string;
  name: string;
  /** The session days the trainer marked this person absent, in day order. */
  absentDays: SessionDate[];
  /** null until the trainer chooses: the commit is refused while any is null. */
  choice: AbsentChoice | null;
};

/**
 * Completed learners already on the roster whom the trainer marked absent on a session day: the
 * platform would have them present on every day. Each is shown with the trainer's choice so far.
 */
export function absentConflicts(
  completed: ReadonlyArray<{ line: number; personId: string; name: string }>,
  absentDayIdsByPerson: ReadonlyMap<string, ReadonlySet<string>>,
  days: readonly SessionDate[],
  choices: ReadonlyMap<number, AbsentChoice>,
): AbsentConflict[] {
  return completed.flatMap((row) => {
    const absent = absentDayIdsByPerson.get(row.personId);
    const absentDays = absent ? days.filter((d) => absent.has(d.id)) : [];
    if (absentDays.length === 0) return [];
    return [{ line: row.line, personId: row.personId, name: row.name, absentDays, choice: choices.get(row.line) ?? null }];
  });
}

/** The message that blocks a commit while an absence has no choice; null when every one has. */
export function absentUnchosenMessage(conflicts: readonly AbsentConflict[]): string | null {
  const lines = conflicts.filter((c) => c.choice === null).map((c) => c.line);
  if (lines.length === 0) return null;
  const shown = `${lines.slice(0, 20).join(", ")}${lines.length > 20 ? ` and ${lines.length - 20} more` : ""}`;
  return `Choose "keep absent" or "take the platform's" for ${lines.length === 1 ? "line" : "lines"} ${shown}: the platform says Completed, and you recorded ${lines.length === 1 ? "that learner" : "those learners"} as absent. Nothing overwrites an absence without you deciding.`;
}

/**
 * The days a completed learner is marked present on: every session day, except the days the
 * trainer marked absent when the trainer chose to keep those absences.
 */
export function daysToMarkPresent(days: readonly SessionDate[], conflict: AbsentConflict | undefined): SessionDate[] {
  if (!conflict || conflict.choice !== "keep-absent") return [...days];
  const kept = new Set(conflict.absentDays.map((d) => d.id));
  return days.filter((d) => !kept.has(d.id));
}
