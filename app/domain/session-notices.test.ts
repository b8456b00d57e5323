import { describe, expect, it } from "vitest";
import { cancelledNotices, changedNotices, enrolledNotices, foldLine, nextUpdatedAt, parseMailbox, sequenceOf, sessionChanges, type SessionSnapshot } from "~/domain/session-notices";

const base: SessionSnapshot = {
  id: "s1", programName: "Youth Mental Health First Aid", title: "Spring", format: "IN_PERSON", siteName: null,
  school: { name: "Lakeside High" }, leadTrainer: "Dana", updatedAt: new Date("2030-01-01T00:00:00Z"),
  days: [{ startsAt: new Date("2030-03-12T16:00:00Z"), endsAt: new Date("2030-03-12T22:30:00Z") }],
};
const ctx = { districtName: "Lakeside USD", host: "tracker.example", timeZone: "America/Los_Angeles", organizer: { name: "Tracker", email: "no-reply@example.org" } };

describe("what an attendee is told about a change", () => {
  it("nothing when only what they do not see changed", () => {
    expect(sessionChanges(base, { ...base, updatedAt: new Date("2030-01-02T00:00:00Z") })).toEqual([]);
    expect(changedNotices(base, { ...base }, ctx)).toBeNull();
  });

  it("a moved day, in the district's time, old → new", () => {
    const after = { ...base, days: [{ startsAt: new Date("2030-03-14T20:00:00Z"), endsAt: new Date("2030-03-14T23:00:00Z") }] };
    const notice = changedNotices(base, after, ctx)?.({ firstName: "Ana", lastName: "I", email: "ana@example.org", memberUrl: "http://x/me" });
    expect(notice?.text).toContain("When: Tue, Mar 12, 2030, 9:00 AM – 3:30 PM PDT → Thu, Mar 14, 2030, 1:00 PM – 4:00 PM PDT");
    expect(notice?.attachments[0].content.replace(/\r\n /g, "")).toContain("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE;CN=\"Ana I\":mailto:ana@example.org");
  });

  it("place and format changes are named; the title too", () => {
    const after = { ...base, title: "Autumn", format: "VIRTUAL", school: null, siteName: "Zoom" };
    expect(sessionChanges(base, after).map((c) => c.kind)).toEqual(["title", "place", "format"]);
  });
});

describe("the calendar file, in the person's language", () => {
  const twoDays = { ...base, format: "VIRTUAL", school: null, siteName: "Zoom", days: [...base.days, { startsAt: new Date("2030-03-13T16:00:00Z"), endsAt: new Date("2030-03-13T22:30:00Z") }] };
  const ana = { firstName: "Ana", lastName: "I", email: "ana@example.org", memberUrl: "http://x/me", language: "es" };
  const lee = { firstName: "Lee", lastName: "J", email: "lee@example.org", memberUrl: "http://x/me" };
  const ics = (n: { attachments: Array<{ content: string }> }) => n.attachments[0].content.replace(/\r\n[ \t]/g, "");

  it("an invitation: Spanish words for a Spanish reader, English for the rest, one event per day either way", () => {
    const notices = enrolledNotices(twoDays, ctx);
    const es = ics(notices(ana));
    expect(es).toContain("SUMMARY:Youth Mental Health First Aid: Spring (día 1 de 2)");
    expect(es).toContain("LOCATION:En línea (Zoom)");
    expect(es).toContain("DESCRIPTION:Capacitación de Youth Mental Health First Aid (día 2 de 2).\\nCapacitador/a principal: Dana.");
    expect(notices(ana).text).toContain("(en línea, Zoom)");
    const en = ics(notices(lee));
    expect(en).toContain("SUMMARY:Youth Mental Health First Aid: Spring (day 1 of 2)");
    expect(en).toContain("LOCATION:Online (Zoom)");
    expect(en).not.toMatch(/día|En línea/);
    const uids = (text: string) => [...text.matchAll(/^UID:(.*?)\r?$/gm)].map((m) => m[1]);
    expect(uids(es)).toEqual(uids(en));
    expect(uids(es)).toHaveLength(2);
  });

  it("a cancellation says so in Spanish", () => {
    const text = ics(cancelledNotices(twoDays, { ...twoDays, updatedAt: new Date("2030-01-05T00:00:00Z") }, ctx, null)(ana));
    expect(text).toContain("SUMMARY:Cancelada: Youth Mental Health First Aid: Spring (día 1 de 2)");
    expect(text).toContain("Esta sesión fue cancelada.");
    expect(text).toContain("METHOD:CANCEL");
  });
});

describe("SEQUENCE", () => {
  it("grows by at least a second's worth with every change, even two in one second", () => {
    const first = new Date("2030-01-01T00:00:00.200Z");
    const second = nextUpdatedAt(first, new Date("2030-01-01T00:00:00.700Z"));
    expect(sequenceOf(second)).toBeGreaterThan(sequenceOf(first));
    expect(nextUpdatedAt(first, new Date("2030-01-01T00:05:00Z")).toISOString()).toBe("2030-01-01T00:05:00.000Z");
    // Inside iCalendar's 32-bit INTEGER for decades.
    expect(sequenceOf(new Date("2080-01-01T00:00:00Z"))).toBeLessThan(2 ** 31);
  });
});

describe("helpers", () => {
  it("folds long lines at 75 octets without splitting a character", () => {
    const folded = foldLine(`ATTENDEE;CN="${"Ánh ".repeat(30)}":mailto:a@b.c`);
    for (const line of folded.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, "")).toBe(`ATTENDEE;CN="${"Ánh ".repeat(30)}":mailto:a@b.c`);
  });

  it("reads MAIL_FROM", () => {
    expect(parseMailbox("Training Tracker <no-reply@district.example>")).toEqual({ name: "Training Tracker", email: "no-reply@district.example" });
    expect(parseMailbox("no-reply@district.example")).toEqual({ name: "no-reply@district.example", email: "no-reply@district.example" });
    expect(parseMailbox("nobody")).toBeNull();
  });
});
