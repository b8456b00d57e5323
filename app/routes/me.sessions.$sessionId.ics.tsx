import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { getEnv } from "~/env.server";
import { sessionCalendarForPerson } from "~/models/calendar.server";
import { calendarResponse } from "~/utils/calendar-response";

/** Every day of a session the member is enrolled in, as an .ics file; any other session is a 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "MEMBER");
  // Event UIDs name the district's own host, never the Host header the request carried.
  const host = new URL(getEnv().PUBLIC_BASE_URL).hostname;
  const text =
    user.personId && params.sessionId
      ? await sessionCalendarForPerson(params.sessionId, user.personId, { districtName: getEnv().DISTRICT_NAME, host })
      : null;
  if (text == null) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return calendarResponse(text, { download: `session-${params.sessionId}.ics` });
}
