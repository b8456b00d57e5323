import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/session.server";
import { homePathFor } from "~/domain/roles";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  throw redirect(homePathFor(user.role));
}
