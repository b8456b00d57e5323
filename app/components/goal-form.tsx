/**
 * The goal form (new and edit) and the pieces that show a goal's progress. The form posts as a plain
 * form; react-hook-form checks it with the same zod schema first when JavaScript has loaded.
 */
import { Link } from "@remix-run/react";
import { Form, FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { GoalStatusTag } from "~/components/reach";
import { GOAL_MEASURE_LABELS, GOAL_MEASURES, GOAL_SCOPE_LABELS, GOAL_SCOPES, GoalFormSchema } from "~/forms/goal";
import { PACE_WINDOW_DAYS, type GoalStatus } from "~/domain/reach";
import { formatCount, formatDate } from "~/utils/format";

type ServerResult = { errors?: Record<string, string>; values?: Record<string, string> } | undefined;

export type GoalChoices = {
  programs: Array<{ id: string; name: string }>;
  regions: Array<{ id: string; name: string }>;
  schools: Array<{ code: string; name: string }>;
};

export function GoalForm({ defaults, server, choices, submitLabel }: { defaults: Record<string, string>; server: ServerResult; choices: GoalChoices; submitLabel: string }) {
  const initial = { ...defaults, ...(server?.values ?? {}) };
  const { register, onSubmit, errorFor } = useValidatedForm(GoalFormSchema, server, initial);
  const value = (name: string) => initial[name] ?? "";
  return (
    <>
      <FormErrorSummary errors={server?.errors} />
      <Form method="post" onSubmit={onSubmit} noValidate className="goal-form">
        <SelectField name="scope" label="Scope" register={register} defaultValue={value("scope")} error={errorFor("scope")}
          options={GOAL_SCOPES.map((s) => ({ value: s, label: GOAL_SCOPE_LABELS[s] }))} />
        <fieldset>
          <legend>Which region or school (for a region or school goal)</legend>
          <SelectField name="regionId" label="Region" register={register} defaultValue={value("regionId")} error={errorFor("regionId")}
            hint="Needed when the scope is a region."
            options={[{ value: "", label: "Choose a region" }, ...choices.regions.map((r) => ({ value: r.id, label: r.name }))]} />
          <TextField name="schoolCode" label="School code" register={register} defaultValue={value("schoolCode")} error={errorFor("schoolCode")}
            hint="Needed when the scope is a school: the school's code, e.g. S001. Start typing for suggestions."
            list="goal-school-codes" autoComplete="off" size={12} />
          <datalist id="goal-school-codes">
            {choices.schools.map((s) => (
              <option key={s.code} value={s.code}>{s.name}</option>
            ))}
          </datalist>
        </fieldset>
        <SelectField name="programId" label="Program" register={register} defaultValue={value("programId")} error={errorFor("programId")}
          options={[{ value: "", label: "Choose a program" }, ...choices.programs.map((p) => ({ value: p.id, label: p.name }))]} />
        <SelectField name="measure" label="Measure" register={register} defaultValue={value("measure")} error={errorFor("measure")}
          options={GOAL_MEASURES.map((m) => ({ value: m, label: GOAL_MEASURE_LABELS[m] }))} />
        <TextField name="target" label="Target" register={register} defaultValue={value("target")} error={errorFor("target")} inputMode="decimal"
          hint="People trained: a whole number, e.g. 250. Staff reach: a percentage of staff, e.g. 25 or 12.5." autoComplete="off" size={10} />
        <TextField name="startsOn" label="Start date" type="date" register={register} defaultValue={value("startsOn")} error={errorFor("startsOn")}
          hint="People trained count from this day; reach is measured from where it stood on this day." />
        <TextField name="deadline" label="Deadline" type="date" register={register} defaultValue={value("deadline")} error={errorFor("deadline")} />
        <div className="actions">
          <SubmitButton>{submitLabel}</SubmitButton>
        </div>
      </Form>
    </>
  );
}

type Measure = "PEOPLE_TRAINED" | "STAFF_REACH";

/** A goal's figure in its own unit: "132 people" or "23.4%". */
export function formatGoalValue(measure: Measure | string, value: number | null | undefined): string {
  if (value == null) return "—";
  return measure === "STAFF_REACH" ? `${value.toFixed(1)}%` : `${formatCount(Math.round(value))} ${Math.round(value) === 1 ? "person" : "people"}`;
}

/** A pace per 30 days: "12 people per 30 days" or "1.5 points per 30 days". */
export function formatPace(measure: Measure | string, perThirtyDays: number | null | undefined): string {
  if (perThirtyDays == null) return "—";
  if (measure === "STAFF_REACH") return `${perThirtyDays.toFixed(1)} percentage points per 30 days`;
  const rounded = Math.round(perThirtyDays * 10) / 10;
  return `${rounded.toLocaleString("en-US")} people per 30 days`;
}

/** One-line name of a goal: "Staff reach 25% by Jun 30, 2026". */
export function goalTitle(goal: { measure: string; target: number; deadline: Date | string }): string {
  const what = goal.measure === "STAFF_REACH" ? `Staff reach ${goal.target}%` : `${formatCount(goal.target)} people trained`;
  return `${what} by ${formatDate(goal.deadline)}`;
}

export type GoalRow = {
  id: string;
  measure: string;
  target: number;
  startsOn: Date | string;
  deadline: Date | string;
  scopeLabel: string;
  program: { name: string };
  progress: { status: GoalStatus; value: number | null; progress: number | null; neededPer30Days: number | null; currentPer30Days: number | null; projectedAtDeadline: number | null };
};

/** Goals with progress, pace and status; each goal's name links to its page. */
export function GoalTable({ goals, caption, showProgram = true }: { goals: GoalRow[]; caption: string; showProgram?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="goal-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Goal</th>
            <th scope="col">Scope</th>
            {showProgram ? <th scope="col">Program</th> : null}
            <th scope="col" className="num">Progress</th>
            <th scope="col" className="num">Pace needed</th>
            <th scope="col" className="num">Current pace (last {PACE_WINDOW_DAYS} days)</th>
            <th scope="col" className="num">Projected at deadline</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {goals.map((g) => (
            <tr key={g.id}>
              <th scope="row"><Link to={`/lead/goals/${g.id}`}>{goalTitle(g)}</Link></th>
              <td>{g.scopeLabel}</td>
              {showProgram ? <td>{g.program.name}</td> : null}
              <td className="num">
                {formatGoalValue(g.measure, g.progress.value)}
                {g.progress.progress != null ? <span className="muted"> ({Math.round(g.progress.progress * 100)}% of target)</span> : null}
              </td>
              <td className="num">{formatPace(g.measure, g.progress.neededPer30Days)}</td>
              <td className="num">{formatPace(g.measure, g.progress.currentPer30Days)}</td>
              <td className="num">{formatGoalValue(g.measure, g.progress.projectedAtDeadline)}</td>
              <td><GoalStatusTag status={g.progress.status} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
