import { describe, expect, it } from "vitest";
import { addDays } from "./program-rules";
import { buildReminderEmail, candidateExpiryRange, CATCH_UP_DAYS, escapeHtml, planReminders, reminderDueOn } from "./reminders";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const DAYS = [90, 30, 7, 0];
const EXPIRES = d("2027-03-15");
const cert = (over: Partial<{ issuedOn: Date; expiresOn: Date | null; renewedById: string | null }> = {}) => ({
  issuedOn: d("2024-03-15"),
  expiresOn: EXPIRES,
  renewedById: null,
  ...over,
});
const plan = (today: Date, c = cert(), days = DAYS) => {
  const p = planReminders(c, days, today);
  return { send: p.send?.daysBefore ?? null, skip: p.skip.map((o) => o.daysBefore) };
};

describe("which reminder is due", () => {
  it("offset D is due D days before expiry", () => {
    expect(reminderDueOn(EXPIRES, 90)).toEqual(d("2026-12-15"));
    expect(reminderDueOn(EXPIRES, 0)).toEqual(EXPIRES);
  });

  it("sends each offset on its own day, in order", () => {
    expect(plan(addDays(EXPIRES, -91))).toEqual({ send: null, skip: [] });
    expect(plan(addDays(EXPIRES, -90))).toEqual({ send: 90, skip: [] });
    expect(plan(addDays(EXPIRES, -30))).toEqual({ send: 30, skip: [90] });
    expect(plan(addDays(EXPIRES, -7))).toEqual({ send: 7, skip: [90, 30] });
    expect(plan(EXPIRES)).toEqual({ send: 0, skip: [90, 30, 7] });
  });

  it("ignores the time of day of `today`", () => {
    expect(plan(new Date("2026-12-15T23:59:59Z"))).toEqual({ send: 90, skip: [] });
    expect(plan(new Date("2026-12-14T23:59:59Z"))).toEqual({ send: null, skip: [] });
  });

  it("a cert first seen 20 days before expiry gets only the 30-day reminder, the 90-day one is skipped", () => {
    const p = planReminders(cert(), DAYS, addDays(EXPIRES, -20));
    expect(p.send).toEqual({ daysBefore: 30, dueOn: addDays(EXPIRES, -30) });
    expect(p.skip).toEqual([{ daysBefore: 90, dueOn: addDays(EXPIRES, -90) }]);
  });

  it("catches up at most 14 days late", () => {
    expect(CATCH_UP_DAYS).toBe(14);
    expect(plan(addDays(EXPIRES, -90 + 14))).toEqual({ send: 90, skip: [] });
    expect(plan(addDays(EXPIRES, -90 + 15))).toEqual({ send: null, skip: [90] });
    // After expiry: the 0-day reminder is still sent for 14 days, then nothing.
    expect(plan(addDays(EXPIRES, 14))).toEqual({ send: 0, skip: [90, 30, 7] });
    expect(plan(addDays(EXPIRES, 15))).toEqual({ send: null, skip: [90, 30, 7, 0] });
  });

  it("renewed and never-expiring certificates get none", () => {
    expect(plan(EXPIRES, cert({ renewedById: "new" }))).toEqual({ send: null, skip: [] });
    expect(plan(EXPIRES, cert({ expiresOn: null }))).toEqual({ send: null, skip: [] });
  });

  it("offsets due before the certificate was issued do not apply", () => {
    // A one-month certificate: the 90- and 30-day reminders would fall before it existed.
    const short = cert({ issuedOn: d("2027-02-15"), expiresOn: EXPIRES });
    expect(plan(addDays(EXPIRES, -7), short)).toEqual({ send: 7, skip: [] });
  });

  it("uses the program's own days, in any order, duplicates ignored", () => {
    expect(plan(addDays(EXPIRES, -60), cert(), [14, 60, 60])).toEqual({ send: 60, skip: [] });
    expect(plan(addDays(EXPIRES, -14), cert(), [14, 60])).toEqual({ send: 14, skip: [60] });
    expect(plan(EXPIRES, cert(), [])).toEqual({ send: null, skip: [] });
  });
});

describe("the candidate expiry range", () => {
  it("spans every expiry date with a reminder that can still be sent", () => {
    const today = d("2026-06-01");
    const range = candidateExpiryRange(DAYS, today);
    expect(range).toEqual({ from: addDays(today, -14), to: addDays(today, 90) });
    // Just outside the range, nothing is sendable; just inside, something is.
    expect(planReminders(cert({ expiresOn: addDays(today, 91) }), DAYS, today).send).toBeNull();
    expect(planReminders(cert({ expiresOn: addDays(today, 90) }), DAYS, today).send?.daysBefore).toBe(90);
    expect(planReminders(cert({ expiresOn: addDays(today, -15) }), DAYS, today).send).toBeNull();
    expect(planReminders(cert({ expiresOn: addDays(today, -14) }), DAYS, today).send?.daysBefore).toBe(0);
  });

  it("uses the smallest offset for the lower end, and is empty without reminder days", () => {
    const today = d("2026-06-01");
    expect(candidateExpiryRange([60, 30], today)).toEqual({ from: addDays(today, 16), to: addDays(today, 60) });
    expect(candidateExpiryRange([], today)).toBeNull();
  });
});

describe("the reminder email", () => {
  const input = {
    person: { firstName: "Ana", lastName: "López" },
    program: { name: "Youth Mental Health First Aid", renewalWindowDays: 90, renewalGuidance: "" },
    expiresOn: EXPIRES,
    today: addDays(EXPIRES, -30),
    baseUrl: "https://training.example.org/",
    unsubscribeUrl: "https://training.example.org/reminders/unsubscribe/tok.abc",
    districtName: "Lakeside Unified",
  };

  it("names the certificate, the person and the deadline, with the renewal window", () => {
    const email = buildReminderEmail(input);
    expect(email.subject).toBe("Your Youth Mental Health First Aid certificate expires in 30 days (March 15, 2027)");
    expect(email.text).toContain("Hello Ana López,");
    expect(email.text).toContain("expires on March 15, 2027 (in 30 days)");
    expect(email.text).toContain("from December 15, 2026 to March 14, 2027");
    expect(email.html).toContain("Hello Ana López,");
    expect(email.html).toContain("from December 15, 2026 to March 14, 2027");
  });

  it("links to the certificate and upcoming sessions through the email-link sign-in, and to unsubscribe, in both parts", () => {
    const email = buildReminderEmail({ ...input, certificationId: "cert123" });
    expect(email.links).toEqual({
      member: "https://training.example.org/login/email?redirectTo=%2Fme%23certificate-cert123&lang=en",
      upcoming: "https://training.example.org/login/email?redirectTo=%2Fme%23upcoming&lang=en",
      unsubscribe: input.unsubscribeUrl,
    });
    for (const url of Object.values(email.links)) {
      expect(email.text).toContain(url);
      expect(email.html).toContain(`href="${escapeHtml(url)}"`);
    }
  });

  it("is written in Spanish for a Spanish speaker", () => {
    const email = buildReminderEmail({ ...input, language: "es" });
    expect(email.subject).toMatch(/^Su certificado de Youth Mental Health First Aid vence/);
    expect(email.text).toContain("Hola, ");
    expect(email.text).toContain("de marzo de 2027");
    expect(email.html).toContain('<html lang="es">');
    expect(email.links.member).toContain("lang=es");
  });

  it("counts days from the day it is sent, so a late reminder is still right", () => {
    expect(buildReminderEmail({ ...input, today: addDays(EXPIRES, -1) }).subject).toContain("expires tomorrow");
    expect(buildReminderEmail({ ...input, today: EXPIRES }).subject).toBe(
      "Your Youth Mental Health First Aid certificate has expired (March 15, 2027)",
    );
    const late = buildReminderEmail({ ...input, today: addDays(EXPIRES, 3) });
    expect(late.text).toContain("expired on March 15, 2027 (3 days ago)");
    expect(late.text).not.toContain("recertification");
  });

  it("without a renewal window, says to take a course before expiry", () => {
    const email = buildReminderEmail({ ...input, program: { ...input.program, name: "QPR", renewalWindowDays: null } });
    expect(email.text).not.toContain("recertification");
    expect(email.text).toContain("sign up for an upcoming course before it expires");
  });

  it("includes the program's renewal guidance", () => {
    const email = buildReminderEmail({ ...input, program: { ...input.program, renewalGuidance: "Call the wellness office.\nAsk for Sam." } });
    expect(email.text).toContain("Call the wellness office.\nAsk for Sam.");
    expect(email.html).toContain("Call the wellness office.<br>Ask for Sam.");
  });

  it("escapes names and guidance in the HTML part", () => {
    const email = buildReminderEmail({
      ...input,
      person: { firstName: "<script>alert(1)</script>", lastName: "O'Brien & \"Co\"" },
      program: { ...input.program, name: "<b>YMHFA</b>", renewalGuidance: "<img src=x onerror=alert(1)>" },
    });
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<b>YMHFA");
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;");
    // The plain-text part is not HTML: it keeps the name as typed.
    expect(email.text).toContain("Hello <script>alert(1)</script> O'Brien & \"Co\",");
  });

  it("keeps line breaks out of the subject", () => {
    const email = buildReminderEmail({ ...input, program: { ...input.program, name: "YMHFA\r\nBcc: victim@example.com" } });
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it("escapeHtml escapes the five special characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
