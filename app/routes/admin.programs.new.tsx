import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { NewProgramSchema } from "~/forms/program";
import { parseForm } from "~/utils/forms";
import { typedValues } from "~/forms/echo";
import { createProgram } from "~/models/program.server";
import { ProgramForm, type ProgramFormDefaults } from "~/components/program-form";

export const meta: MetaFunction = () => [{ title: "New program · Administration" }];

// A new program starts with the common MHFA-style rules; the administrator changes what differs.
const NEW_PROGRAM_DEFAULTS: ProgramFormDefaults = {
  code: "", name: "", description: "", audience: "ADULTS", validityMonths: "", renewalWindowDays: "",
  reminderDays: "90,30,7,0", renewalGuidance: "", maxParticipants: "", instructorCoursesPerYear: "", instructorNeedsCertificate: false,
  requiresAttendance: true, requiresPostWork: false, requiresEvaluation: false, active: true,
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const formData = await request.formData();
  const parsed = parseForm(formData, NewProgramSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await createProgram(parsed.data, user.id);
  if (!result.ok) return data({ errors: result.errors, values: typedValues(formData) }, { status: 400 });
  return redirect(`/admin/programs/${result.value.id}?created=1`);
}

export default function NewProgram() {
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p><Link to="/admin/programs">Back to programs</Link></p>
      <h1>New program</h1>
      <ProgramForm mode="new" defaults={NEW_PROGRAM_DEFAULTS} server={actionData} submitLabel="Create program" />
    </>
  );
}
