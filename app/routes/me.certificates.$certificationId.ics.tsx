import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { getEnv } from "~/env.server";
import { certificateCalendarForPerson } from "~/models/calendar.server";
import { calendarResponse } from "~/utils/calendar-response";

/** The renewal deadline of the member's own certificate as an .ics file (expiry and window opening, all-day). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "MEMBER");
  // Event UIDs name the district's own host, never the Host header the request carried.
  const host = new URL(getEnv().PUBLIC_BASE_URL).hostname;
  const calendar =
    user.personId && params.certificationId
      ? await certificateCalendarForPerson(params.certificationId, user.personId, { districtName: getEnv().DISTRICT_NAME, host })
      : null;
  if (!calendar) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  if (calendar.kind === "never-expires") {
    throw new Response("This certificate does not expire, so it has no renewal deadline.", { status: 404, statusText: "Not Found" });
  }
  return calendarResponse(calendar.text, { download: `renewal-${params.certificationId}.ics` });
}
