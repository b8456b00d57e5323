import { parseAbsentChoice, type AbsentChoice } from "~/domain/mhfa-import";

/**
 * The MHFA import's own fields, beside the roster import's (app/forms/roster.ts): for each
 * completed learner the trainer marked absent, "keep-absent" or "platform".
 */
export const absentField = (line: number) => `absent_${line}`;

/** The trainer's choices for absences the platform contradicts, by line; anything else is dropped. */
export function absentChoicesFromForm(formData: FormData): Map<number, AbsentChoice> {
  const choices = new Map<number, AbsentChoice>();
  for (const [key, value] of formData.entries()) {
    const match = /^absent_(\d{1,7})$/.exec(key);
    if (!match) continue;
    const choice = parseAbsentChoice(value);
    if (choice) choices.set(Number(match[1]), choice);
  }
  return choices;
}
