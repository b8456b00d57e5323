import { describe, expect, it } from "vitest";
import { buildInstructorReminderEmail, planInstructorReminders } from "./instructor-reminders";
import { certificationYearOn } from "./instructor-standing";

const day = (s: string) => new Date(`${s}T00:00:00Z`);
const year = certificationYearOn(day("2024-07-01"), day("2026-12-07")); // Jul 1, 2026 – Jul 1, 2027

describe("planInstructorReminders", () => {
  it("owes nothing before 90 days from the year's end, the 90-day one then, the 30-day one later", () => {
    expect(year).toEqual({ startsOn: day("2026-07-01"), endsOn: day("2027-07-01") });
    expect(planInstructorReminders(year, day("2027-04-01"))).toEqual({ send: null, skip: [] });
    expect(planInstructorReminders(year, day("2027-04-02"))).toEqual({ send: { daysBefore: 90, dueOn: day("2027-04-02") }, skip: [] });
    expect(planInstructorReminders(year, day("2027-06-01"))).toEqual({
      send: { daysBefore: 30, dueOn: day("2027-06-01") },
      skip: [{ daysBefore: 90, dueOn: day("2027-04-02") }],
    });
  });

  it("sends nothing more than 14 days late, and nothing once the year is over", () => {
    expect(planInstructorReminders(year, day("2027-04-20")).send).toBeNull();
    expect(planInstructorReminders(year, day("2027-04-20")).skip.map((o) => o.daysBefore)).toEqual([90]);
    expect(planInstructorReminders(year, day("2027-07-01"))).toEqual({ send: null, skip: [] });
  });
});

describe("buildInstructorReminderEmail", () => {
  it("says how many courses are taught, of how many, by when", () => {
    const mail = buildInstructorReminderEmail({
      person: { firstName: "Terry" }, program: { code: "YMHFA", name: "Youth Mental Health First Aid" },
      coursesTaught: 1, coursesRequired: 3, year, baseUrl: "https://t.example", unsubscribeUrl: "https://t.example/u/x", districtName: "District",
    });
    expect(mail.subject).toBe("2 more YMHFA courses to teach by Jun 30, 2027");
    expect(mail.text).toContain("You have taught 1 of the 3 YMHFA courses needed by Jun 30, 2027.");
    expect(mail.html).toContain("https://t.example/u/x");
  });
});
