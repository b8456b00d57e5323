import type { ReactNode } from "react";
import { Form } from "@remix-run/react";
import { FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { AUDIENCE_LABELS, FORMAT_LABELS, MAX_SESSION_DAYS, SESSION_AUDIENCES, SESSION_FORMATS, SessionFormSchema } from "~/forms/session";

type Options = {
  programs: Array<{ id: string; name: string }>;
  schools: Array<{ id: string; code: string; name: string }>;
  trainers: Array<{ id: string; name: string }>;
};

/** The session form for create and edit: a plain HTML form, validated again on the server. */
export function SessionForm({
  options, defaults, server, submitLabel, chooseLead, dayHint, programNotice,
}: {
  options: Options;
  defaults: Record<string, string | string[]>;
  server: { errors?: Record<string, string>; values?: Record<string, string> } | undefined;
  submitLabel: string;
  chooseLead: boolean;
  dayHint?: string;
  /** Shown under the program field (the trainer's instructor certifications on the new-session form). */
  programNotice?: ReactNode;
}) {
  const { register, onSubmit, errorFor } = useValidatedForm(SessionFormSchema, server, defaults);
  const value = (name: string) => {
    const v = server?.values?.[name] ?? defaults[name];
    return typeof v === "string" ? v : undefined;
  };
  const coTrainers = new Set([defaults.coTrainerIds ?? []].flat());
  return (
    <>
      <FormErrorSummary errors={server?.errors} />
      <Form method="post" onSubmit={onSubmit} noValidate>
        <input type="hidden" name="intent" value="save" />
        <SelectField name="programId" label="Program" register={register} defaultValue={value("programId")} error={errorFor("programId")}
          options={[{ value: "", label: "Choose a program" }, ...options.programs.map((p) => ({ value: p.id, label: p.name }))]} />
        {programNotice}
        <TextField name="title" label="Title (optional)" register={register} defaultValue={value("title")} error={errorFor("title")} />
        <SelectField name="format" label="Format" register={register} defaultValue={value("format")} error={errorFor("format")}
          options={SESSION_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))} />
        <SelectField name="audience" label="Audience" register={register} defaultValue={value("audience")} error={errorFor("audience")}
          options={SESSION_AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a] }))} />
        <SelectField name="schoolId" label="School" hint="Leave blank for another site or a virtual session." register={register}
          defaultValue={value("schoolId")} error={errorFor("schoolId")}
          options={[{ value: "", label: "No school (other site or virtual)" }, ...options.schools.map((s) => ({ value: s.id, label: `${s.name} (${s.code})` }))]} />
        <TextField name="siteName" label="Other site (optional)" register={register} defaultValue={value("siteName")} error={errorFor("siteName")} />
        <TextField name="hostOrganization" label="Host organisation (optional)" hint="For example the county mental-health department."
          register={register} defaultValue={value("hostOrganization")} error={errorFor("hostOrganization")} />
        <TextField name="capacity" label="Capacity (optional)" inputMode="numeric" register={register} defaultValue={value("capacity")} error={errorFor("capacity")} />
        {chooseLead ? (
          <SelectField name="leadTrainerId" label="Lead trainer" register={register} defaultValue={value("leadTrainerId")} error={errorFor("leadTrainerId")}
            options={[{ value: "", label: "Choose the lead trainer" }, ...options.trainers.map((t) => ({ value: t.id, label: t.name }))]} />
        ) : null}
        <fieldset className="panel">
          <legend>Co-trainers (optional)</legend>
          {errorFor("coTrainerIds") ? <p className="field-error">{errorFor("coTrainerIds")}</p> : null}
          {options.trainers.map((t) => (
            <div className="field field-checkbox" key={t.id}>
              <input type="checkbox" id={`co-${t.id}`} name="coTrainerIds" value={t.id} defaultChecked={coTrainers.has(t.id)} />
              <label htmlFor={`co-${t.id}`}>{t.name}</label>
            </div>
          ))}
        </fieldset>
        <fieldset className="panel">
          <legend>Days</legend>
          <p className="hint">{dayHint ?? "One row per day; leave the rows you do not need blank. Times are in the district's time zone."}</p>
          {Array.from({ length: MAX_SESSION_DAYS }, (_, i) => (
            <div className="day-row" key={i} role="group" aria-label={`Day ${i + 1}`}>
              <TextField name={`day${i}Date`} label={`Day ${i + 1} date`} type="date" register={register} defaultValue={value(`day${i}Date`)} error={errorFor(`day${i}Date`)} />
              <TextField name={`day${i}Start`} label={`Day ${i + 1} starts`} type="time" register={register} defaultValue={value(`day${i}Start`)} error={errorFor(`day${i}Start`)} />
              <TextField name={`day${i}End`} label={`Day ${i + 1} ends`} type="time" register={register} defaultValue={value(`day${i}End`)} error={errorFor(`day${i}End`)} />
            </div>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="field-notes">Notes (optional)</label>
          <textarea id="field-notes" rows={3} {...register("notes")} defaultValue={value("notes")} />
        </div>
        <SubmitButton>{submitLabel}</SubmitButton>
      </Form>
    </>
  );
}
