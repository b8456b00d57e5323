import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { isoFromToday, makeCertificate, makePerson, makeProgram, makeSchool, makeSession, signInMember } from "./member-fixtures";
import { renderPage } from "./page-render";
import * as mePage from "~/routes/me._index";

type Row = {
  id: string; programName: string; status: string; guidance: { summary: string; programGuidance: string | null; suggestSessions: boolean };
  pdfPath: string; checkPath: string; icsPath: string | null;
};
type PageData = {
  linked: boolean;
  certificates: Row[];
  sessions: Array<{ id: string; where: string }>;
  joinable: Array<{ programId: string; sessions: Array<{ id: string; where: string; enrolled: boolean }> }>;
};

function isPageData(value: unknown): value is PageData {
  return typeof value === "object" && value !== null && "certificates" in value && "joinable" in value;
}

async function loadPage(cookie: string): Promise<PageData> {
  const res = await call(() => mePage.loader({ request: makeRequest("/me", { cookie }), params: {}, context: {} }));
  expect(res.status).toBe(200);
  if (!isPageData(res.data)) throw new Error("unexpected loader data");
  return res.data;
}

let member: Awaited<ReturnType<typeof signInMember>>;
let ymhfa: Awaited<ReturnType<typeof makeProgram>>;
let qpr: Awaited<ReturnType<typeof makeProgram>>;
let inWindow: Awaited<ReturnType<typeof makeCertificate>>;
let forever: Awaited<ReturnType<typeof makeCertificate>>;
let nextSession: Awaited<ReturnType<typeof makeSession>>;
let startedSession: Awaited<ReturnType<typeof makeSession>>;
let studentSession: Awaited<ReturnType<typeof makeSession>>;
let classmateEmail: string;

beforeAll(async () => {
  const school = await makeSchool();
  ymhfa = await makeProgram("ymhfa", "Renew on the national MHFA platform.");
  qpr = await makeProgram("qpr");
  member = await signInMember(await makePerson({ firstName: "Rosa", lastName: "Park-Lee" }));
  inWindow = await makeCertificate({ personId: member.person.id, programId: ymhfa.id, issuedOn: isoFromToday(-1050), expiresOn: isoFromToday(45) });
  forever = await makeCertificate({ personId: member.person.id, programId: qpr.id, issuedOn: "2024-10-01", expiresOn: null });
  const classmate = await makePerson();
  classmateEmail = classmate.email ?? "";
  nextSession = await makeSession({
    programId: ymhfa.id, schoolId: school.id, enroll: [classmate.id],
    days: [[`${isoFromToday(20)}T16:00:00Z`, `${isoFromToday(20)}T22:00:00Z`], [`${isoFromToday(21)}T16:00:00Z`, `${isoFromToday(21)}T22:00:00Z`]],
  });
  // Already begun (first day past): too late to join.
  startedSession = await makeSession({
    programId: ymhfa.id, siteName: "Started site",
    days: [[`${isoFromToday(-1)}T16:00:00Z`, `${isoFromToday(-1)}T22:00:00Z`], [`${isoFromToday(6)}T16:00:00Z`, `${isoFromToday(6)}T22:00:00Z`]],
  });
  studentSession = await makeSession({ programId: ymhfa.id, siteName: "Student assembly", audience: "STUDENTS", days: [[`${isoFromToday(30)}T16:00:00Z`, `${isoFromToday(30)}T17:00:00Z`]] });
  await makeSession({ programId: qpr.id, siteName: "QPR room", days: [[`${isoFromToday(12)}T16:00:00Z`, `${isoFromToday(12)}T17:00:00Z`]] });
});

describe("the member page", () => {
  it("lists the member's certificates with status, what to do next and their links", async () => {
    const data = await loadPage(member.cookie);
    expect(data.linked).toBe(true);
    const ymhfaRow = data.certificates.find((c) => c.id === inWindow.id);
    expect(ymhfaRow).toMatchObject({
      status: "renewal-window",
      guidance: { summary: expect.stringMatching(/^Renew online between .+ and .+, or retake the full course after that\.$/), programGuidance: "Renew on the national MHFA platform.", suggestSessions: true },
      pdfPath: `/me/certificates/${inWindow.id}/pdf`,
      checkPath: `/verify/${inWindow.verificationCode}`,
      icsPath: `/me/certificates/${inWindow.id}/ics`,
    });
    expect(data.certificates.find((c) => c.id === forever.id)).toMatchObject({
      status: "active", guidance: { summary: "Does not expire.", suggestSessions: false }, icsPath: null,
    });
  });

  it("suggests scheduled sessions of a program to renew or retake: not yet started, not for students, no roster", async () => {
    const data = await loadPage(member.cookie);
    expect(data.joinable.map((j) => j.programId)).toEqual([ymhfa.id]);
    const ids = data.joinable[0].sessions.map((s) => s.id);
    expect(ids).toContain(nextSession.id);
    expect(ids).not.toContain(startedSession.id);
    expect(ids).not.toContain(studentSession.id);
    expect(JSON.stringify(data.joinable)).not.toContain(classmateEmail);
    expect(data.joinable[0].sessions.find((s) => s.id === nextSession.id)).toMatchObject({ enrolled: false });
  });

  it("renders headings, captions and the links for each certificate", async () => {
    const page = await renderPage("/me", mePage, makeRequest("/me", { cookie: member.cookie }));
    expect(page.status).toBe(200);
    expect(page.html).toContain("<h1>My trainings</h1>");
    expect(page.html).toContain("<caption>Certificates you hold or held, and what to do next</caption>");
    expect(page.html).toContain(`href="/me/certificates/${inWindow.id}/pdf"`);
    expect(page.html).toContain(`href="/verify/${inWindow.verificationCode}"`);
    expect(page.html).toContain(`href="/me/certificates/${inWindow.id}/ics"`);
    expect(page.html).toContain(">Download PDF<");
    expect(page.html).toContain(">Public check<");
    expect(page.html).toContain(">Add renewal deadline to calendar (.ics)<");
    expect(page.html).toContain("Sessions you can join");
    expect(page.html).toContain('value="create-feed"');
  });

  it("lists the member's sessions with a calendar link, never someone else's", async () => {
    const other = await signInMember();
    await prisma.enrollment.create({ data: { sessionId: nextSession.id, personId: member.person.id } });
    const mine = await loadPage(member.cookie);
    expect(mine.sessions.map((s) => s.id)).toEqual([nextSession.id]);
    const theirs = await loadPage(other.cookie);
    expect(theirs.sessions).toEqual([]);
    expect(theirs.certificates).toEqual([]);
    const page = await renderPage("/me", mePage, makeRequest("/me", { cookie: member.cookie }));
    expect(page.html).toContain(`href="/me/sessions/${nextSession.id}/ics"`);
    expect(page.html).toContain("(you are enrolled)");
  });

  it("an account not linked to a person sees a notice and no calendar feed section", async () => {
    const { cookie } = await signIn("MEMBER");
    const page = await renderPage("/me", mePage, makeRequest("/me", { cookie }));
    expect(page.html).toContain("not linked to a person record");
    expect(page.html).not.toContain("Calendar feed");
  });

  it("is for members only", async () => {
    const { cookie } = await signIn("TRAINER");
    expect((await call(() => mePage.loader({ request: makeRequest("/me", { cookie }), params: {}, context: {} }))).status).toBe(403);
  });
});

describe("a first visit, and Spanish", () => {
  it("explains the page on the member's first visit only", async () => {
    const fresh = await signInMember(await makePerson({ firstName: "Primera", lastName: "Vez" }));
    const first = await call(() => mePage.loader({ request: makeRequest("/me", { cookie: fresh.cookie }), params: {}, context: {} }));
    expect(JSON.stringify(first.data)).toContain('"welcome":true');
    const again = await call(() => mePage.loader({ request: makeRequest("/me", { cookie: fresh.cookie }), params: {}, context: {} }));
    expect(JSON.stringify(again.data)).toContain('"welcome":false');
  });

  it("switches the page, and the member's emails and certificate, to Spanish and back", async () => {
    const post = (language: string) =>
      call(() => mePage.action({ request: makeRequest("/me", { method: "POST", cookie: member.cookie, form: { intent: "language", language } }), params: {}, context: {} }));
    expect((await post("fr")).status).toBe(400);
    expect((await post("es")).status).toBe(200);
    expect((await prisma.person.findUniqueOrThrow({ where: { id: member.person.id } })).language).toBe("es");
    const { html } = await renderPage("/me", mePage, makeRequest("/me", { cookie: member.cookie }));
    expect(html).toContain("Mis certificados");
    expect(html).toContain("Plazo de renovación abierto");
    expect(html).toMatch(/Renueve en línea entre el/);
    expect(html).toContain('lang="es"');
    await post("en");
    const back = await renderPage("/me", mePage, makeRequest("/me", { cookie: member.cookie }));
    expect(back.html).toContain("My certificates");
  });
});
