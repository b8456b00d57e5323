import { z } from "zod";

/** The member page's calendar feed buttons: one form, an intent per button. */
export const CALENDAR_FEED_INTENTS = ["create-feed", "replace-feed", "turn-off-feed"] as const;

export const CalendarFeedSchema = z.object({
  intent: z.enum(CALENDAR_FEED_INTENTS, { errorMap: () => ({ message: "Choose what to do with your calendar feed" }) }),
});
