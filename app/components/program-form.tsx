import { useId } from "react";
import type { FieldValues, UseFormRegister } from "react-hook-form";
import { CheckboxField, Form, FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { NewProgramSchema, ProgramRulesSchema, GUIDANCE_MAX_LENGTH } from "~/forms/program";
import { PROGRAM_AUDIENCES, PROGRAM_AUDIENCE_LABELS } from "~/domain/program-labels";

const CHECKBOXES = ["requiresAttendance", "requiresPostWork", "requiresEvaluation", "instructorNeedsCertificate", "active"] as const;
type CheckboxName = (typeof CHECKBOXES)[number];

type TextName =
  | "name" | "description" | "audience" | "validityMonths" | "renewalWindowDays"
  | "reminderDays" | "renewalGuidance" | "maxParticipants" | "instructorCoursesPerYear";

/** Text fields as typed (numbers as text, blank for none) and checkboxes as booleans. */
export type ProgramFormDefaults = Record<TextName, string> & Record<CheckboxName, boolean> & { code?: string };

type ServerResult = { errors?: Record<string, string>; values?: Record<string, string> } | undefined;

function TextAreaField({
  name, label, hint, error, register, defaultValue,
}: {
  name: string; label: string; hint?: string; error?: string;
  register: UseFormRegister<FieldValues>; defaultValue?: string;
}) {
  const hintId = useId();
  const errorId = `${name}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={`field-${name}`}>{label}</label>
      {hint ? <p id={hintId} className="hint">{hint}</p> : null}
      {error ? <p id={errorId} className="field-error">{error}</p> : null}
      <textarea id={`field-${name}`} rows={4} aria-invalid={error ? true : undefined} aria-describedby={describedBy}
        defaultValue={defaultValue} {...register(name)} />
    </div>
  );
}

/**
 * The program rules form, for a new program (with a code) or an existing one. Posts as a plain
 * form; after a refused post the fields show what was typed, not the saved values.
 */
export function ProgramForm({
  mode, defaults, server, submitLabel,
}: { mode: "new" | "edit"; defaults: ProgramFormDefaults; server: ServerResult; submitLabel: string }) {
  const typed = server?.values;
  const initial: Record<string, string | boolean> = { ...defaults };
  if (typed) {
    for (const [k, v] of Object.entries(typed)) initial[k] = v;
    // An unticked checkbox posts nothing, so its absence from the echo means "off".
    for (const name of CHECKBOXES) initial[name] = typed[name] === "on" || typed[name] === "true";
  }
  const schema = mode === "new" ? NewProgramSchema : ProgramRulesSchema;
  const { register, onSubmit, errorFor } = useValidatedForm(schema, server, initial);
  const text = (name: string) => {
    const v = initial[name];
    return typeof v === "string" ? v : "";
  };
  const checked = (name: CheckboxName) => initial[name] === true;
  return (
    <>
      <FormErrorSummary errors={server?.errors} />
      <Form method="post" onSubmit={onSubmit} noValidate>
        {mode === "new" ? (
          <TextField name="code" label="Code" hint="A short name other systems and reports use, e.g. YMHFA or QPR. It cannot be changed later."
            register={register} defaultValue={text("code")} error={errorFor("code")} autoComplete="off" />
        ) : null}
        <TextField name="name" label="Name" register={register} defaultValue={text("name")} error={errorFor("name")} autoComplete="off" />
        <TextAreaField name="description" label="Description (optional)" register={register} defaultValue={text("description")}
          error={errorFor("description")} />
        <SelectField name="audience" label="Audience" register={register} defaultValue={text("audience")} error={errorFor("audience")}
          options={PROGRAM_AUDIENCES.map((a) => ({ value: a, label: PROGRAM_AUDIENCE_LABELS[a] }))} />
        <fieldset>
          <legend>Certification</legend>
          <TextField name="validityMonths" label="Validity (months)" inputMode="numeric" register={register}
            hint="How long a certificate is valid, 1 to 240 months (36 = 3 years). Leave blank if certificates never expire."
            defaultValue={text("validityMonths")} error={errorFor("validityMonths")} />
          <TextField name="renewalWindowDays" label="Renewal window (days)" inputMode="numeric" register={register}
            hint="Days before expiry in which a short recertification is allowed, 1 to 365. Leave blank if there is no renewal path (also when certificates never expire)."
            defaultValue={text("renewalWindowDays")} error={errorFor("renewalWindowDays")} />
          <TextField name="reminderDays" label="Reminder days" register={register}
            hint="Whole days before expiry on which to remind the holder, separated by commas, e.g. 90,30,7,0. Leave blank for no reminders."
            defaultValue={text("reminderDays")} error={errorFor("reminderDays")} autoComplete="off" />
          <TextAreaField name="renewalGuidance" label="Renewal guidance (optional)" register={register}
            hint={`Shown to certificate holders: how to renew. At most ${GUIDANCE_MAX_LENGTH} characters.`}
            defaultValue={text("renewalGuidance")} error={errorFor("renewalGuidance")} />
        </fieldset>
        <fieldset>
          <legend>A learner completes when</legend>
          <CheckboxField name="requiresAttendance" label="Present on every session day" register={register}
            defaultChecked={checked("requiresAttendance")} error={errorFor("requiresAttendance")} />
          <CheckboxField name="requiresPostWork" label="Post-work is complete" register={register}
            defaultChecked={checked("requiresPostWork")} error={errorFor("requiresPostWork")} />
          <CheckboxField name="requiresEvaluation" label="Evaluation is complete" register={register}
            defaultChecked={checked("requiresEvaluation")} error={errorFor("requiresEvaluation")} />
        </fieldset>
        <TextField name="maxParticipants" label="Maximum participants per session (optional)" inputMode="numeric" register={register}
          hint="1 to 500. Leave blank for no limit." defaultValue={text("maxParticipants")} error={errorFor("maxParticipants")} />
        <fieldset>
          <legend>Instructors of this program</legend>
          <TextField name="instructorCoursesPerYear" label="Courses an instructor teaches a year (optional)" inputMode="numeric" register={register}
            hint="To stay certified, 1 to 50 courses per certification year (YMHFA: 3). Leave blank if there is no such rule."
            defaultValue={text("instructorCoursesPerYear")} error={errorFor("instructorCoursesPerYear")} />
          <CheckboxField name="instructorNeedsCertificate" label="An instructor also holds a current certificate of this program (YMHFA: an active First Aider certificate)"
            register={register} defaultChecked={checked("instructorNeedsCertificate")} error={errorFor("instructorNeedsCertificate")} />
        </fieldset>
        <CheckboxField name="active" label="Active (offered for new sessions)" register={register}
          defaultChecked={checked("active")} error={errorFor("active")} />
        <div className="actions">
          <SubmitButton>{submitLabel}</SubmitButton>
        </div>
      </Form>
    </>
  );
}
