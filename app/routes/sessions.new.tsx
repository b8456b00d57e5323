import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { SessionForm } from "~/components/session-form";
import { SessionFormSchema } from "~/forms/session";
import { parseForm } from "~/utils/forms";
import { createSession, SessionInputError, sessionFormOptions } from "~/models/training-session.server";
import { getEnv } from "~/env.server";

export const meta: MetaFunction = () => [{ title: "New session" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "TRAINER", "ADMIN");
  return { options: await sessionFormOptions(), chooseLead: user.role === "ADMIN" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "TRAINER", "ADMIN");
  const parsed = parseForm(await request.formData(), SessionFormSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  if (user.role === "ADMIN" && !parsed.data.leadTrainerId) {
    return data({ errors: { leadTrainerId: "Choose the lead trainer" }, values: {} }, { status: 400 });
  }
  try {
    const session = await createSession(parsed.data, user, getEnv().DISTRICT_TIME_ZONE);
    return redirect(`/sessions/${session.id}`);
  } catch (error) {
    if (error instanceof SessionInputError) return data({ errors: { [error.field]: error.message }, values: {} }, { status: 400 });
    throw error;
  }
}

export default function NewSession() {
  const { options, chooseLead } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>New session</h1>
      <SessionForm options={options} defaults={{ format: "IN_PERSON", audience: "STAFF" }} server={actionData} submitLabel="Create session" chooseLead={chooseLead} />
    </>
  );
}
