import { describe, expect, it } from "vitest";
import {
  certificationYearOn, checkInstructorCertificationDates, coursesInYear, decidingCertification, EXPIRING_SOON_DAYS,
  instructorStanding, lastDayOf, teachingLapse,
} from "./instructor-standing";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);
const year = (issued: string, asOf: string) => {
  const y = certificationYearOn(d(issued), d(asOf));
  return [iso(y.startsOn), iso(y.endsOn)];
};

describe("certification years", () => {
  it("run from the issue date, one after another", () => {
    expect(year("2025-07-01", "2025-07-01")).toEqual(["2025-07-01", "2026-07-01"]);
    expect(year("2025-07-01", "2026-06-30")).toEqual(["2025-07-01", "2026-07-01"]);
    expect(year("2025-07-01", "2026-07-01")).toEqual(["2026-07-01", "2027-07-01"]);
    expect(year("2020-03-15", "2026-12-07")).toEqual(["2026-03-15", "2027-03-15"]);
  });

  it("before the issue date it is the first year", () => {
    expect(year("2026-07-01", "2026-01-10")).toEqual(["2026-07-01", "2027-07-01"]);
  });

  it("an instant later in the day is that day", () => {
    const y = certificationYearOn(d("2025-07-01"), new Date("2026-06-30T23:59:00Z"));
    expect(iso(y.startsOn)).toBe("2025-07-01");
  });

  it("issued on Feb 29: Feb 28 in years without one, never a year a day long", () => {
    expect(year("2024-02-29", "2025-02-27")).toEqual(["2024-02-29", "2025-02-28"]);
    expect(year("2024-02-29", "2025-02-28")).toEqual(["2025-02-28", "2026-02-28"]);
    expect(year("2024-02-29", "2028-03-01")).toEqual(["2028-02-29", "2029-02-28"]);
  });

  it("the last day of a year is the day before the next begins", () => {
    expect(iso(lastDayOf(certificationYearOn(d("2026-07-01"), d("2026-08-01"))))).toBe("2027-06-30");
    expect(iso(lastDayOf(certificationYearOn(d("2024-03-01"), d("2024-03-01"))))).toBe("2025-02-28");
  });

  it("counts the courses that fall in the year, both ends as days", () => {
    const y = certificationYearOn(d("2025-07-01"), d("2025-09-01"));
    expect(coursesInYear([d("2025-06-30"), d("2025-07-01"), d("2026-06-30"), d("2026-07-01"), new Date("2026-06-30T20:00:00Z")], y)).toBe(3);
  });
});

describe("instructorStanding", () => {
  const ymhfa = (over: Partial<Parameters<typeof instructorStanding>[0]> = {}) =>
    instructorStanding({
      certification: { issuedOn: d("2025-07-01"), expiresOn: d("2028-07-01") },
      coursesRequired: 3,
      courseDays: [],
      asOf: d("2026-12-07"),
      ...over,
    });

  it("short: fewer courses this certification year than the rule asks, needed by the year's last day", () => {
    const s = ymhfa({ courseDays: [d("2026-08-10"), d("2026-03-01")] });
    expect(s.status).toBe("short");
    expect(s.coursesTaught).toBe(1); // Mar 1 fell in the year before
    expect(s.coursesRequired).toBe(3);
    expect(s.coursesNeeded).toBe(2);
    expect(iso(s.neededBy)).toBe("2027-06-30");
    expect(iso(s.year.startsOn)).toBe("2026-07-01");
  });

  it("current: the rule is met this year (more than enough still needs 0)", () => {
    const s = ymhfa({ courseDays: [d("2026-07-01"), d("2026-09-01"), d("2026-10-01"), d("2026-11-01")] });
    expect(s.status).toBe("current");
    expect(s.coursesTaught).toBe(4);
    expect(s.coursesNeeded).toBe(0);
  });

  it("expired: on the expiry day itself, whatever the courses", () => {
    const s = ymhfa({ certification: { issuedOn: d("2023-01-10"), expiresOn: d("2026-12-07") }, courseDays: [d("2026-02-01"), d("2026-03-01"), d("2026-04-01")] });
    expect(s.status).toBe("expired");
    expect(s.expiringSoon).toBe(false);
    expect(iso(s.expiresOn ?? new Date(0))).toBe("2026-12-07");
    expect(ymhfa({ certification: { issuedOn: d("2023-01-10"), expiresOn: d("2026-12-08") } }).status).toBe("short");
  });

  it("not yet in force counts as expired", () => {
    expect(ymhfa({ certification: { issuedOn: d("2027-01-01"), expiresOn: null } }).status).toBe("expired");
  });

  it(`expiring soon: within ${EXPIRING_SOON_DAYS} days and not yet expired`, () => {
    const on = (expires: string) => ymhfa({ certification: { issuedOn: d("2024-01-01"), expiresOn: d(expires) } }).expiringSoon;
    expect(on("2027-03-07")).toBe(true); // exactly 90 days
    expect(on("2027-03-08")).toBe(false);
    expect(on("2026-12-08")).toBe(true);
    expect(on("2026-12-07")).toBe(false); // expired today
    expect(ymhfa({ certification: { issuedOn: d("2024-01-01"), expiresOn: null } }).expiringSoon).toBe(false);
  });

  it("a program with no courses-a-year rule: current while the certification holds, nothing needed", () => {
    const s = ymhfa({ coursesRequired: null, courseDays: [d("2026-08-01")] });
    expect(s.status).toBe("current");
    expect(s.coursesRequired).toBeNull();
    expect(s.coursesNeeded).toBe(0);
    expect(s.coursesTaught).toBe(1);
  });

  it("needs a certificate: current, but without the current certificate of the program the program asks its instructors to hold", () => {
    const three = [d("2026-07-01"), d("2026-09-01"), d("2026-10-01")];
    expect(ymhfa({ courseDays: three, holdsCurrentCertificate: false })).toMatchObject({ status: "needs-certificate", needsCertificate: true, coursesNeeded: 0 });
    // Short of courses as well: the certificate is named first; the courses still count.
    expect(ymhfa({ holdsCurrentCertificate: false })).toMatchObject({ status: "needs-certificate", coursesNeeded: 3 });
    expect(ymhfa({ courseDays: three, holdsCurrentCertificate: true })).toMatchObject({ status: "current", needsCertificate: false });
    // A program that does not ask it; and an expired instructor certification is expired first.
    expect(ymhfa({ courseDays: three, holdsCurrentCertificate: null })).toMatchObject({ status: "current", needsCertificate: false });
    expect(ymhfa({ certification: { issuedOn: d("2023-01-10"), expiresOn: d("2026-12-01") }, holdsCurrentCertificate: false }).status).toBe("expired");
  });
});

describe("decidingCertification", () => {
  const asOf = d("2026-12-07");
  it("the current one that lasts longest, before any expired one", () => {
    const expiredLate = { id: "a", issuedOn: d("2020-01-01"), expiresOn: d("2026-12-01") };
    const short = { id: "b", issuedOn: d("2025-01-01"), expiresOn: d("2027-01-01") };
    const long = { id: "c", issuedOn: d("2024-01-01"), expiresOn: d("2028-01-01") };
    expect(decidingCertification([expiredLate, short, long], asOf)?.id).toBe("c");
    expect(decidingCertification([long, short, expiredLate], asOf)?.id).toBe("c");
    const never = { id: "n", issuedOn: d("2022-01-01"), expiresOn: null };
    expect(decidingCertification([long, never], asOf)?.id).toBe("n");
  });

  it("none current: the one that expired last; none at all: null", () => {
    const a = { id: "a", issuedOn: d("2019-01-01"), expiresOn: d("2022-01-01") };
    const b = { id: "b", issuedOn: d("2022-01-01"), expiresOn: d("2025-01-01") };
    expect(decidingCertification([b, a], asOf)?.id).toBe("b");
    expect(decidingCertification([a, b], asOf)?.id).toBe("b");
    expect(decidingCertification([], asOf)).toBeNull();
  });

  it("same expiry: the later issue", () => {
    const a = { id: "a", issuedOn: d("2024-01-01"), expiresOn: d("2028-01-01") };
    const b = { id: "b", issuedOn: d("2025-01-01"), expiresOn: d("2028-01-01") };
    expect(decidingCertification([a, b], asOf)?.id).toBe("b");
    expect(decidingCertification([b, a], asOf)?.id).toBe("b");
  });
});

describe("teachingLapse", () => {
  const cert = { issuedOn: d("2024-01-10"), expiresOn: d("2027-01-10") };
  it("none on record", () => {
    expect(teachingLapse([], [d("2026-12-20")])).toEqual({ kind: "none-on-record" });
  });

  it("lapsed mid-session: names the first day it fails (days in any order)", () => {
    const lapse = teachingLapse([cert], [d("2027-01-12"), d("2027-01-09"), d("2027-01-10")]);
    expect(lapse?.kind).toBe("lapsed");
    if (lapse?.kind !== "lapsed") throw new Error("expected a lapse");
    expect(iso(lapse.day)).toBe("2027-01-10");
    expect(iso(lapse.expiresOn ?? new Date(0))).toBe("2027-01-10");
  });

  it("ok when one certification covers every day, or a renewal covers the later ones", () => {
    expect(teachingLapse([cert], [d("2026-12-20"), d("2027-01-09")])).toBeNull();
    const renewal = { issuedOn: d("2027-01-05"), expiresOn: d("2030-01-05") };
    expect(teachingLapse([cert, renewal], [d("2027-01-09"), d("2027-01-12")])).toBeNull();
  });

  it("not yet in force on the first day", () => {
    const lapse = teachingLapse([{ issuedOn: d("2027-02-01"), expiresOn: null }], [d("2027-01-20")]);
    expect(lapse).toEqual({ kind: "lapsed", day: d("2027-01-20"), expiresOn: null });
  });
});

describe("checkInstructorCertificationDates", () => {
  it("issued on or before today; a blank expiry never expires", () => {
    expect(checkInstructorCertificationDates({ issuedOn: "2026-12-07", expiresOn: undefined, today: "2026-12-07" }))
      .toEqual({ ok: true, issuedOn: d("2026-12-07"), expiresOn: null });
    expect(checkInstructorCertificationDates({ issuedOn: "2026-12-08", expiresOn: undefined, today: "2026-12-07" }))
      .toMatchObject({ ok: false, field: "issuedOn" });
  });

  it("an expiry on or before the issue date names the expiry", () => {
    expect(checkInstructorCertificationDates({ issuedOn: "2026-01-01", expiresOn: "2026-01-01", today: "2026-12-07" }))
      .toMatchObject({ ok: false, field: "expiresOn", message: expect.stringContaining("Expires on") });
    expect(checkInstructorCertificationDates({ issuedOn: "2026-01-01", expiresOn: "2029-01-01", today: "2026-12-07" }))
      .toEqual({ ok: true, issuedOn: d("2026-01-01"), expiresOn: d("2029-01-01") });
  });
});
