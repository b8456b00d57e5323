import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";

/** "My evaluations" from the trainer's home: the trainer's own summary page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "TRAINER");
  return redirect(`/trainers/${user.id}/evaluations`);
}
