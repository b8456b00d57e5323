/**
 * The form that records a trainer's instructor certification (/people/:personId/instructor-certifications/new).
 * One schema, shared by the component (react-hook-form) and the action; every message names its field.
 */
import { z } from "zod";
import { EVIDENCE_NOTE_MAX, SOURCE_MAX } from "~/domain/certificate-records";
import { calendarDateField, optionalCalendarDateField } from "~/utils/forms";

const text = (label: string, max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").normalize("NFC").replace(/\s+/g, " ").trim())
    .pipe(z.string().max(max, `${label} must be at most ${max} characters`));

export const RecordInstructorCertificationSchema = z.object({
  programId: z
    .string({ required_error: "Program: choose the program it licenses them to teach" })
    .trim()
    .min(1, "Program: choose the program it licenses them to teach")
    .max(64, "Program: choose a program from the list"),
  issuedOn: calendarDateField("Issued on"),
  expiresOn: optionalCalendarDateField("Expires on"),
  source: text("Source", SOURCE_MAX).pipe(z.string().min(1, "Source is required")),
  evidenceNote: text("Evidence", EVIDENCE_NOTE_MAX),
});

export type RecordInstructorCertificationForm = z.infer<typeof RecordInstructorCertificationSchema>;

/** An administrator links an account to its person, by district ID or email; blank unlinks. */
export const LinkPersonSchema = z.object({
  personKey: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(z.string().max(254, "Person: a district ID or email is at most 254 characters")),
});
