import { describe, expect, it } from "vitest";
import {
  buildCoordinatorDigest, digestAsOf, DIGEST_LIST_LIMIT, isDigestSendDay, nextMonth, parseDigestMonth, previousMonth,
  type DigestInput,
} from "./coordinator-digest";

const day = (s: string) => new Date(`${s}T00:00:00Z`);

function input(over: Partial<DigestInput> = {}): DigestInput {
  return {
    coordinatorName: "Casey Coordinator",
    language: "en",
    month: day("2026-11-01"),
    asOf: day("2026-11-30"),
    districtName: "Lakeside Unified School District",
    baseUrl: "https://training.example/",
    schools: [
      {
        name: "Lincoln High", code: "S001", staffHeadcount: 80, certifiedStaff: 36, staffReach: 0.45, studentsCertified: 3,
        goals: [{ programName: "Youth Mental Health First Aid", measure: "STAFF_REACH", target: 60, deadline: day("2027-06-30"), value: 45, status: "on-track" }],
      },
      {
        name: "Adams Middle", code: "S002", staffHeadcount: null, certifiedStaff: 4, staffReach: null, studentsCertified: 0,
        goals: [{ programName: "QPR Gatekeeper", measure: "PEOPLE_TRAINED", target: 200, deadline: day("2027-05-31"), value: 120, status: "at-risk" }],
      },
    ],
    certified: [
      { name: "Ana López", programName: "Youth Mental Health First Aid", date: day("2026-11-03"), schools: ["Lincoln High"] },
      { name: "Ben Ruiz", programName: "Youth Mental Health First Aid", date: day("2026-11-12"), schools: ["Lincoln High", "Adams Middle"], renewal: true },
    ],
    expiring: [{ name: "Cleo Park", programName: "Youth Mental Health First Aid", date: day("2027-01-15"), schools: ["Adams Middle"] }],
    ...over,
  };
}

describe("the coordinator's monthly digest", () => {
  it("names the month, counts the newly certified (students included) and the expiring in the subject", () => {
    const email = buildCoordinatorDigest(input());
    expect(email.subject).toBe("Your schools in November 2026: 5 newly certified, 1 expiring in the next 90 days");
    expect(email.homeUrl).toBe("https://training.example/coordinator");
  });

  it("lists reach per school, goals, who became certified and who expires next; students as counts only", () => {
    const { text } = buildCoordinatorDigest(input());
    expect(text).toContain("YMHFA staff reach on Nov 30, 2026");
    expect(text).toContain("- Lincoln High (S001): 45.0% (36 / 80)");
    expect(text).toContain("- Adams Middle (S002): no headcount (4 / —)");
    expect(text).toContain("- Lincoln High: Youth Mental Health First Aid, 60.0% staff reach by Jun 30, 2027. Now 45.0%. On track.");
    expect(text).toContain("- Adams Middle: QPR Gatekeeper, 200 people trained by May 31, 2027. Now 120. At risk.");
    expect(text).toContain("Became certified in November 2026\n- Ana López — Youth Mental Health First Aid, Nov 3, 2026 — Lincoln High\n- Ben Ruiz — Youth Mental Health First Aid (renewal), Nov 12, 2026 — Lincoln High; Adams Middle");
    expect(text).toContain("3 students became certified (Lincoln High: 3). Student names are not sent by email.");
    expect(text).toContain("Expiring in the next 90 days\n- Cleo Park — Youth Mental Health First Aid, expires Jan 15, 2027 — Adams Middle");
    expect(text).toContain("Open your schools' page: https://training.example/coordinator");
  });

  it("gives no figure for a goal not started or without a headcount: its status says why", () => {
    const [lincoln, adams] = input().schools;
    const schools = [
      { ...lincoln, goals: [{ ...lincoln.goals[0], value: null, status: "no-data" as const }] },
      { ...adams, goals: [{ ...adams.goals[0], value: 0, status: "not-started" as const }] },
    ];
    const { text } = buildCoordinatorDigest(input({ schools }));
    expect(text).toContain("- Lincoln High: Youth Mental Health First Aid, 60.0% staff reach by Jun 30, 2027. No headcount.");
    expect(text).toContain("- Adams Middle: QPR Gatekeeper, 200 people trained by May 31, 2027. Not started.");
  });

  it("says so when nothing happened", () => {
    const schools = input().schools.map((s) => ({ ...s, goals: [], studentsCertified: 0 }));
    const email = buildCoordinatorDigest(input({ schools, certified: [], expiring: [] }));
    expect(email.subject).toBe("Your schools in November 2026: 0 newly certified, 0 expiring in the next 90 days");
    expect(email.text).toContain("Your schools have no active goals.");
    expect(email.text).toContain("No staff member or partner at your schools became certified this month.");
    expect(email.text).toContain("Nobody at your schools has a certificate expiring in the next 90 days.");
    expect(email.text).not.toContain("students became certified");
  });

  it("lists at most the limit of names and points to the page for the rest", () => {
    const many = Array.from({ length: DIGEST_LIST_LIMIT + 7 }, (_, i) => ({ name: `Person ${i}`, programName: "QPR", date: day("2026-11-05"), schools: [] }));
    const { text, html } = buildCoordinatorDigest(input({ certified: many }));
    expect(text).toContain(`Person ${DIGEST_LIST_LIMIT - 1} —`);
    expect(text).not.toContain(`Person ${DIGEST_LIST_LIMIT} —`);
    expect(text).toContain("…and 7 more on your schools' page.");
    expect(html).toContain("…and 7 more on your schools&#39; page.");
  });

  it("escapes names in the HTML and keeps line breaks out of the subject", () => {
    const email = buildCoordinatorDigest(input({
      coordinatorName: "Casey <b>",
      certified: [{ name: "<script>alert(1)</script>", programName: "Q&A", date: day("2026-11-03"), schools: ["A \"quoted\" school"] }],
    }));
    expect(email.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(email.html).toContain("Q&amp;A");
    expect(email.html).toContain("A &quot;quoted&quot; school");
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain('<html lang="en">');
    expect(email.html).toContain('<a href="https://training.example/coordinator">');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it("speaks Spanish to a coordinator whose language is Spanish", () => {
    const email = buildCoordinatorDigest(input({ language: "es" }));
    expect(email.subject).toBe("Sus escuelas en noviembre de 2026: 5 nuevas certificaciones, 1 por vencer en los próximos 90 días");
    expect(email.text).toContain("Hola, Casey Coordinator:");
    expect(email.text).toContain("Se certificaron en noviembre de 2026");
    expect(email.text).toContain("En camino.");
    expect(email.html).toContain('<html lang="es">');
  });
});

describe("which month, and when", () => {
  it("covers the month before, read on its last day (or today while it runs)", () => {
    expect(previousMonth(day("2026-12-01"))).toEqual(day("2026-11-01"));
    expect(previousMonth(day("2027-01-03"))).toEqual(day("2026-12-01"));
    expect(nextMonth(day("2026-12-01"))).toEqual(day("2027-01-01"));
    expect(digestAsOf(day("2026-11-01"), day("2026-12-02"))).toEqual(day("2026-11-30"));
    expect(digestAsOf(day("2024-02-01"), day("2024-03-01"))).toEqual(day("2024-02-29"));
    expect(digestAsOf(day("2026-12-01"), day("2026-12-07"))).toEqual(day("2026-12-07"));
  });

  it("is sent in the first days of a month only", () => {
    expect(isDigestSendDay(day("2026-12-01"))).toBe(true);
    expect(isDigestSendDay(day("2026-12-07"))).toBe(true);
    expect(isDigestSendDay(day("2026-12-08"))).toBe(false);
    expect(isDigestSendDay(day("2026-12-31"))).toBe(false);
  });

  it("reads a month typed as YYYY-MM", () => {
    expect(parseDigestMonth("2026-11")).toEqual(day("2026-11-01"));
    expect(parseDigestMonth(" 2026-01 ")).toEqual(day("2026-01-01"));
    for (const bad of ["2026-13", "2026-00", "2026-1", "Nov 2026", ""]) expect(parseDigestMonth(bad), bad).toBeNull();
  });
});
