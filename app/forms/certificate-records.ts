/**
 * The two forms that correct the certificate record (/people/:personId/certificates/…): revoke one
 * issued by mistake, record one earned elsewhere. One schema per form, shared by the component
 * (react-hook-form) and the action; every message names its field.
 */
import { z } from "zod";
import { EVIDENCE_NOTE_MAX, REVOKE_REASON_MAX, SOURCE_MAX } from "~/domain/certificate-records";
import { calendarDateField, optionalCalendarDateField } from "~/utils/forms";

const requiredText = (label: string, max: number) =>
  z
    .string({ required_error: `${label} is required` })
    .transform((v) => v.normalize("NFC").replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, `${label} is required`).max(max, `${label} must be at most ${max} characters`));

export const RevokeCertificateSchema = z.object({
  reason: requiredText("Reason", REVOKE_REASON_MAX),
});

export type RevokeCertificateForm = z.infer<typeof RevokeCertificateSchema>;

export const RecordCertificateSchema = z.object({
  programId: z
    .string({ required_error: "Program: choose a program" })
    .trim()
    .min(1, "Program: choose a program")
    .max(64, "Program: choose a program from the list"),
  issuedOn: calendarDateField("Issued on"),
  expiresOn: optionalCalendarDateField("Expires on"),
  source: requiredText("Source", SOURCE_MAX),
  evidenceNote: requiredText("Evidence", EVIDENCE_NOTE_MAX),
});

export type RecordCertificateForm = z.infer<typeof RecordCertificateSchema>;
