import { describe, expect, it } from "vitest";
import { calendarText, productId, renewalEvents, sessionDayEvents, sessionLocation } from "~/domain/calendar-events";

const header = { districtName: "Lakeside USD", host: "training.example.org" };
const day = { sessionId: "s1", sessionUpdatedAt: new Date("2029-12-01T00:00:00Z"), dayNumber: 1, dayCount: 1, programName: "QPR", sessionTitle: null, location: "Room 4", leadTrainer: null, cancelled: false };

describe("calendar events", () => {
  it("session days are UTC date-times with a stable UID", () => {
    const text = calendarText(sessionDayEvents([{ ...day, startsAt: new Date("2030-01-15T17:00:00Z"), endsAt: new Date("2030-01-15T18:30:00Z") }], header.host), header);
    expect(text).toContain("UID:session-s1-day-1@training.example.org\r\n");
    expect(text).toContain("DTSTART:20300115T170000Z\r\n");
    expect(text).toContain("DTEND:20300115T183000Z\r\n");
    expect(text).toContain("STATUS:CONFIRMED\r\n");
    expect(text).toContain("METHOD:PUBLISH\r\n");
  });

  it("a cancelled session's day says so and does not block time", () => {
    const text = calendarText(sessionDayEvents([{ ...day, cancelled: true, startsAt: new Date("2030-01-15T17:00:00Z"), endsAt: new Date("2030-01-15T18:00:00Z") }], header.host), header);
    expect(text).toContain("STATUS:CANCELLED\r\n");
    expect(text).toContain("SUMMARY:Cancelled: QPR\r\n");
    expect(text).toContain("TRANSP:TRANSPARENT\r\n");
  });

  it("renewal dates are all-day events (VALUE=DATE, end the next day), the window opening only when there is one", () => {
    const both = renewalEvents({ certificationId: "c1", programName: "YMHFA", expiresOn: new Date("2029-12-31T00:00:00Z"), windowOpens: new Date("2029-10-02T00:00:00Z"), howToRenew: "Renew online." }, header.host);
    const text = calendarText(both, header);
    expect(text).toContain("DTSTART;VALUE=DATE:20291231\r\nDTEND;VALUE=DATE:20300101\r\n");
    expect(text).toContain("DTSTART;VALUE=DATE:20291002\r\nDTEND;VALUE=DATE:20291003\r\n");
    const onlyExpiry = renewalEvents({ certificationId: "c1", programName: "X", expiresOn: new Date("2029-12-31T00:00:00Z"), windowOpens: null, howToRenew: "Retake." }, header.host);
    expect(onlyExpiry.map((e) => e.uid)).toEqual(["certificate-c1-expires@training.example.org"]);
  });

  it("an empty calendar is still a valid one (a feed with nothing coming up)", () => {
    const text = calendarText([], header);
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
    expect(text).not.toContain("BEGIN:VEVENT");
  });

  it("PRODID and places", () => {
    expect(productId("A/B District")).toBe("-//A B District//Mental Health Training Tracker//EN");
    expect(sessionLocation({ format: "VIRTUAL", siteName: null, school: null })).toBe("Online");
    expect(sessionLocation({ format: "IN_PERSON", siteName: "Hall", school: { name: "Maple High" } })).toBe("Maple High");
    expect(sessionLocation({ format: "IN_PERSON", siteName: null, school: null })).toBe("To be announced");
  });
});
