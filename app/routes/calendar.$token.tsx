import type { LoaderFunctionArgs } from "@remix-run/node";
import { getEnv } from "~/env.server";
import { calendarFeedForToken } from "~/models/calendar.server";
import { calendarResponse } from "~/utils/calendar-response";

/**
 * A member's personal calendar feed. No sign-in (calendar apps cannot sign in): the secret
 * token in the address is the key. An unknown or replaced token is a 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  // Event UIDs name the district's own host, never the Host header the request carried.
  const host = new URL(getEnv().PUBLIC_BASE_URL).hostname;
  const text = await calendarFeedForToken(params.token ?? "", { districtName: getEnv().DISTRICT_NAME, host });
  if (text == null) throw new Response("Not found", { status: 404, statusText: "Not Found", headers: { "X-Robots-Tag": "noindex" } });
  return calendarResponse(text, { feed: true });
}
