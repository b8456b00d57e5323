/**
 * The growth and report pages' GET form: which scope (district, region, school), program and period.
 * A plain form: it works without JavaScript, and the address it leads to can be bookmarked or shared.
 */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { GROWTH_LINE_LABELS, GROWTH_LINES, SCOPE_NAME_LABELS, SCOPE_NAMES, type ScopePeriodValues } from "~/domain/goals";

export function ScopePeriodForm({
  values, errors = {}, programs, regions, schools, showLine = false, submitLabel,
}: {
  values: ScopePeriodValues;
  errors?: Record<string, string>;
  programs: Array<{ code: string; name: string }>;
  regions: Array<{ id: string; name: string }>;
  schools: Array<{ code: string; name: string }>;
  showLine?: boolean;
  submitLabel: string;
}) {
  const field = (name: keyof ScopePeriodValues, label: string, control: (describedBy: string | undefined, invalid: true | undefined) => ReactNode, hint?: string) => {
    const describedBy = [hint ? `filter-${name}-hint` : null, errors[name] ? `filter-${name}-error` : null].filter(Boolean).join(" ") || undefined;
    return (
      <div className={`field${errors[name] ? " field-invalid" : ""}`}>
        <label htmlFor={`filter-${name}`}>{label}</label>
        {hint ? <p className="hint" id={`filter-${name}-hint`}>{hint}</p> : null}
        {errors[name] ? <p className="field-error" id={`filter-${name}-error`}>{errors[name]}</p> : null}
        {control(describedBy, errors[name] ? true : undefined)}
      </div>
    );
  };
  return (
    <Form method="get" className="search scope-period-form" aria-label="Scope and period">
      {field("scope", "Scope", (d, i) => (
        <select id="filter-scope" name="scope" defaultValue={values.scope} aria-describedby={d} aria-invalid={i}>
          {SCOPE_NAMES.map((s) => <option key={s} value={s}>{SCOPE_NAME_LABELS[s]}</option>)}
        </select>
      ))}
      {field("region", "Region", (d, i) => (
        <select id="filter-region" name="region" defaultValue={values.region} aria-describedby={d} aria-invalid={i}>
          <option value="">Choose a region</option>
          {regions.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
        </select>
      ), "For a region")}
      {field("school", "School code", (d, i) => (
        <>
          <input id="filter-school" name="school" defaultValue={values.school} size={10} list="scope-school-codes" autoComplete="off" aria-describedby={d} aria-invalid={i} />
          <datalist id="scope-school-codes">
            {schools.map((s) => <option key={s.code} value={s.code}>{s.name}</option>)}
          </datalist>
        </>
      ), "For a school, e.g. S001")}
      {field("program", "Program", (d, i) => (
        <select id="filter-program" name="program" defaultValue={values.program} aria-describedby={d} aria-invalid={i}>
          {programs.map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
        </select>
      ))}
      {showLine
        ? field("line", "Line shows", (d, i) => (
            <select id="filter-line" name="line" defaultValue={values.line} aria-describedby={d} aria-invalid={i}>
              {GROWTH_LINES.map((l) => <option key={l} value={l}>{GROWTH_LINE_LABELS[l]}</option>)}
            </select>
          ))
        : null}
      {field("from", "From", (d, i) => <input id="filter-from" name="from" type="date" defaultValue={values.from} aria-describedby={d} aria-invalid={i} />)}
      {field("to", "To", (d, i) => <input id="filter-to" name="to" type="date" defaultValue={values.to} aria-describedby={d} aria-invalid={i} />)}
      <button type="submit">{submitLabel}</button>
    </Form>
  );
}
