import { Form } from "@remix-run/react";

/**
 * A trainer's calendar feed: the sessions they teach (and any they are enrolled in), kept in their
 * calendar app. The same three buttons as the member page's feed (app/forms/calendar-feed.ts).
 */
export function CalendarFeedPanel({ feed, notice }: { feed: { url: string; webcal: string } | null; notice?: string | null }) {
  return (
    <section className="panel" aria-labelledby="feed">
      <h2 id="feed">Calendar feed</h2>
      <p>
        A calendar feed keeps the days of the sessions you teach in Outlook, Google Calendar or Apple Calendar, and updates them by
        itself. Anyone who has the address can see those dates, so keep it private. If it leaks, replace it: the old address stops working.
      </p>
      {notice ? <p className="notice" role="status">{notice}</p> : null}
      {feed ? (
        <>
          <div className="field">
            <label htmlFor="feed-url">Your feed address</label>
            <p id="feed-url-hint" className="hint">
              Copy it into your calendar app (in Google Calendar: Other calendars, From URL; in Outlook: Add calendar, Subscribe from web).
            </p>
            <input id="feed-url" type="text" readOnly value={feed.url} aria-describedby="feed-url-hint" onFocus={(e) => e.currentTarget.select()} />
          </div>
          <p>
            <a href={feed.webcal}>Open in my calendar app</a>
          </p>
          <Form method="post" className="actions">
            <button type="submit" name="intent" value="replace-feed" className="secondary">Replace the address</button>
            <button type="submit" name="intent" value="turn-off-feed" className="danger">Turn off the feed</button>
          </Form>
        </>
      ) : (
        <Form method="post" className="actions">
          <button type="submit" name="intent" value="create-feed">Create my feed address</button>
        </Form>
      )}
    </section>
  );
}

export const CALENDAR_FEED_NOTICES = {
  "create-feed": "Your calendar feed address is ready. Add it to your calendar app.",
  "replace-feed": "Your calendar feed has a new address. The old address no longer works: update your calendar app.",
  "turn-off-feed": "Your calendar feed is turned off. Its address no longer works.",
} as const;
