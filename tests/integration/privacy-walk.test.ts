/**
 * Student privacy by construction (issue 9; docs/decisions/010-person-visibility.md): walks every
 * page and export that lists people, as every role, with students of two schools in the data, and
 * fails if a name, district ID or email of a student the role may not see appears in the page's
 * HTML, its loader or action data (which Remix serialises into the page) or the CSV. It also
 * checks that each role does see the students it must (so it can fail both ways), and that every
 * route file is either walked here or listed as not listing people.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createSchool, createSession, enroll, issueCertification } from "../../prisma/seed/factories";
import { schoolYearOf } from "~/domain/school-year";
import { columnField } from "~/forms/roster";
import * as sessionPage from "~/routes/sessions.$sessionId._index";
import * as rosterPage from "~/routes/sessions.$sessionId.roster";
import * as rosterImportPage from "~/routes/sessions.$sessionId.roster.import";
import * as mhfaImportPage from "~/routes/sessions.$sessionId.roster.mhfa-import";
import * as attendancePage from "~/routes/sessions.$sessionId.attendance";
import * as paperPage from "~/routes/sessions.$sessionId.paper";
import * as signInSheetPage from "~/routes/sessions.$sessionId.sign-in-sheet";
import * as closePage from "~/routes/sessions.$sessionId.close";
import * as checkInPage from "~/routes/sessions.$sessionId.check-in";
import * as rosterCsvExport from "~/routes/sessions.$sessionId.roster[.csv]";
import * as certificatesCsvExport from "~/routes/reports.certificates.export[.csv]";
import * as coordinatorHome from "~/routes/coordinator._index";
import * as coordinatorCsv from "~/routes/coordinator.expiring[.csv]";
import * as schoolReach from "~/routes/lead.schools.$schoolId";
import * as schoolReachCsv from "~/routes/lead.schools.$schoolId.export[.csv]";
import * as regionReach from "~/routes/lead.regions.$regionId";
import * as regionReachCsv from "~/routes/lead.regions.$regionId.export[.csv]";
import * as leadHome from "~/routes/lead._index";
import * as leadReport from "~/routes/lead.report";
import * as leadGrowth from "~/routes/lead.growth";
import * as adminUser from "~/routes/admin.users.$userId";
import * as adminUsers from "~/routes/admin.users._index";
import * as adminOutbox from "~/routes/admin.outbox._index";
import * as adminReminders from "~/routes/admin.reminders";
import * as memberHome from "~/routes/me._index";
import * as trainerHome from "~/routes/trainer._index";
import * as peopleList from "~/routes/people._index";
import * as personPage from "~/routes/people.$personId";
import * as personPdf from "~/routes/people.$personId.certificates.$certificationId.pdf";
import * as certificatePage from "~/routes/people.$personId_.certificates.$certificationId._index";
import * as personEdit from "~/routes/people.$personId_.edit";
import * as duplicatesQueue from "~/routes/people.duplicates._index";
import * as duplicatesCompare from "~/routes/people.duplicates.compare";

type Module = {
  default?: React.ComponentType;
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
  ErrorBoundary?: React.ComponentType;
};

/** Route files walked below, by file name. */
const WALKED = [
  "sessions.$sessionId._index.tsx", "sessions.$sessionId.roster.tsx", "sessions.$sessionId.roster.import.tsx",
  "sessions.$sessionId.roster.mhfa-import.tsx", "sessions.$sessionId.attendance.tsx", "sessions.$sessionId.paper.tsx",
  "sessions.$sessionId.sign-in-sheet.tsx", "sessions.$sessionId.close.tsx", "sessions.$sessionId.check-in.tsx",
  "coordinator._index.tsx", "coordinator.expiring[.csv].tsx", "lead.schools.$schoolId.tsx", "lead.schools.$schoolId.export[.csv].tsx",
  "lead.regions.$regionId.tsx", "lead.regions.$regionId.export[.csv].tsx", "lead._index.tsx", "lead.report.tsx", "lead.growth.tsx",
  "admin.users.$userId.tsx", "admin.users._index.tsx", "admin.outbox._index.tsx", "admin.reminders.tsx", "me._index.tsx", "trainer._index.tsx",
  "people._index.tsx", "people.$personId.tsx", "people.$personId.certificates.$certificationId.pdf.tsx",
  "people.$personId_.certificates.$certificationId._index.tsx",
  "people.$personId_.edit.tsx", "people.duplicates._index.tsx", "people.duplicates.compare.tsx",
  "sessions.$sessionId.roster[.csv].tsx", "reports.certificates.export[.csv].tsx",
];

/** Route files that list nobody, or only the signed-in member's own record, or one record by an unguessable code: why, file by file. */
const NOT_LISTING_PEOPLE: Record<string, string> = {
  "_index.tsx": "landing redirect",
  "healthz.tsx": "health check",
  "login.tsx": "sign-in form", "logout.tsx": "sign-out",
  "admin._index.tsx": "admin menu",
  "admin.headcounts._index.tsx": "school headcounts (numbers)", "admin.headcounts.import.tsx": "headcount upload (numbers)",
  "admin.outbox.$messageId.tsx": "one message, admin only, reached from the walked outbox list",
  "admin.programs.$programId.tsx": "program rules", "admin.programs._index.tsx": "program list", "admin.programs.new.tsx": "program form",
  "admin.regions.$regionId.tsx": "region settings", "admin.regions._index.tsx": "region list",
  "admin.schools.$schoolId.tsx": "school settings", "admin.schools._index.tsx": "school list", "admin.schools.import.tsx": "school upload",
  "admin.schools.new.tsx": "school form", "admin.users.new.tsx": "user form (looks up a district ID to link, admin only)",
  "calendar.$token.tsx": "the member's own sessions, by secret token",
  "check-in.$token.tsx": "public check-in form: lists nobody (its answers are check-in.test.ts's)",
  "evaluate.$token.tsx": "public evaluation form: lists nobody, echoes only what the participant typed (evaluations.test.ts)",
  "sessions.$sessionId.evaluation.tsx": "one session's evaluation counts, averages and anonymous comments: names nobody (evaluations.test.ts)",
  "trainers.$userId.evaluations.tsx": "one trainer's (a user's) anonymous evaluation summary: that trainer, leads and admins only, others 404 (evaluations.test.ts)",
  "trainer.evaluations.tsx": "redirect to the signed-in trainer's own evaluation summary",
  "lead.export[.csv].tsx": "district figures (numbers)", "lead.goals.$goalId._index.tsx": "goal progress (numbers)",
  "lead.goals.$goalId.edit.tsx": "goal form", "lead.goals._index.tsx": "goals (numbers)", "lead.goals.export[.csv].tsx": "goals (numbers)",
  "lead.goals.new.tsx": "goal form", "lead.growth.export[.csv].tsx": "growth by month (numbers)",
  "me.certificates.$certificationId.ics.tsx": "the member's own certificate", "me.certificates.$certificationId.pdf.tsx": "the member's own certificate",
  "me.sessions.$sessionId.ics.tsx": "the member's own session",
  "reminders.unsubscribe.$token.tsx": "one person's own unsubscribe, by secret token",
  "sessions._index.tsx": "session list (counts)", "sessions.export[.csv].tsx": "the session list as CSV: titles, trainers (users), counts (record-exports.test.ts)",
  "reports.certificates._index.tsx": "the certificates export's filter form: programs, schools, regions (record-exports.test.ts)",
  "sessions.new.tsx": "session form (trainers are users)",
  "sessions.$sessionId.edit.tsx": "session form (trainers are users)",
  "verify.$code.tsx": "public certificate check by unguessable code: name as printed only (verify.test.ts)",
  "verify._index.tsx": "code entry form",
  "login_.email.tsx": "sign-in link request form: answers the same for every address, lists nobody",
  "login_.link.$token.tsx": "the names (only) of the people of one mailbox, to the holder of a one-time link sent to that mailbox (sign-in-link.test.ts)",
  "login_.reset.tsx": "password reset request form",
  "login_.reset_.$token.tsx": "new password form: the account's own name, to the holder of its one-time link",
  "login_.sso.tsx": "starts single sign-on: a redirect to the provider", "login_.sso_.callback.tsx": "single sign-on's return: a redirect or one sentence, names nobody (sso.test.ts)",
  "account.password.tsx": "the signed-in user's own password form",
  "admin.directory._index.tsx": "list of imports: names of the admins who ran them, no people",
  "admin.directory.import.tsx": "upload form",
  "admin.directory.$importId.tsx": "one import's file rows (who the district's files name), administrators only, who may see every person; every other role 403 (directory-import.test.ts)",
  "admin.audit._index.tsx": "the audit trail, administrators only, who may see every person; every other role 403 (audit-trail.test.ts)",
  "admin.audit.export[.csv].tsx": "the audit trail as CSV, administrators only; every other role 403 (audit-trail.test.ts)",
  "people.merges.$mergeId.tsx": "one merge's two records, administrators only (every other role 403: person-merge.test.ts)",
  "people.$personId_.certificates.new.tsx": "records a certificate earned elsewhere for one person the viewer may open (the person page's rule, getPersonRecord), program leads and administrators only; every other role 403 (certificate-record.test.ts)",
  "people.$personId_.certificates.$certificationId.revoke.tsx": "revokes one certificate of one person the viewer may open (canOpenPerson, the person page's rule), program leads and administrators only; every other role 403 (certificate-revoke.test.ts)",
  "instructors._index.tsx": "every instructor's standing: program leads and administrators only (every other role 403), names through person visibility, so a student instructor is a count to a lead (instructors.test.ts)",
  "instructors.import.tsx": "imports instructor certifications from a CSV: administrators and program leads only (every other role 403); the preview shows only the file's own rows (instructor-import.test.ts)",
  "instructors.export[.csv].tsx": "the instructors' standing table as CSV: program leads and administrators only, the table's rows and masking (instructors.test.ts)",
  "instructors.$personId.tsx": "one instructor's standing: a trainer their own, leads and administrators anyone they may see (maskPerson; a hidden student is a 404), others 403 or 404 (instructors.test.ts)",
  "people.$personId_.instructor-certifications.new.tsx": "records an instructor certification for one person the viewer may open (getPersonRecord), program leads and administrators only; every other role 403 (instructors.test.ts)",
  "sessions.$sessionId.certificates[.pdf].tsx": "the certificates one session issued, as a PDF: its trainers and administrators only, who see its whole roster (every other role 403 or 404: session-certificates.test.ts)",
};

it("walks every route file that lists people (a new one must be added to the walk or to the list of those that do not)", () => {
  const files = readdirSync(path.join(process.cwd(), "app/routes")).filter((f) => /\.tsx?$/.test(f)).sort();
  const known = [...WALKED, ...Object.keys(NOT_LISTING_PEOPLE)].sort();
  expect(files).toEqual(known);
});

type Person = { firstName: string; lastName: string; districtId: string | null; email: string | null };
const markers = (p: Person) => [p.firstName, p.lastName, p.districtId, p.email].filter((m): m is string => m !== null);

let u: string;
let schoolA: { id: string; regionId: string };
let schoolB: { id: string; regionId: string };
type StudentKey = "enrolledA" | "otherA" | "enrolledB" | "otherB" | "movedToB";
let students: Record<StudentKey, Person & { id: string }>;
let staffA: Person & { id: string };
let memberPerson: Person & { id: string };
let studentSessionA: string;
let staffSessionA: string;
let virtualSession: string;
let memberUserId: string;
let trainerAId: string;
let walkProgramIds: string[] = [];
const cookies: Partial<Record<RoleKey, string>> = {};
const ROLE_KEYS = ["admin", "lead", "trainerA", "trainerOther", "coordinatorA", "coordinatorB", "member"] as const;
type RoleKey = (typeof ROLE_KEYS)[number];

beforeAll(async () => {
  u = unique("pw");
  const year = schoolYearOf(new Date());
  schoolA = await createSchool(prisma, { name: `Walk School A ${u}` });
  schoolB = await createSchool(prisma, { name: `Walk School B ${u}`, regionId: schoolA.regionId });
  const qpr = await createProgram(prisma, { preset: "QPR" });
  const ymhfa = await createProgram(prisma, { preset: "YMHFA" });
  walkProgramIds = [qpr.id, ymhfa.id];
  const student = (key: StudentKey, first: string, affiliations: Array<{ schoolId: string; schoolYear: number }>) =>
    createPerson(prisma, {
      kind: "STUDENT", firstName: `${first}${u}`, lastName: `Quarrington${key}${u}`, districtId: `STU-SECRET-${key}-${u}`,
      email: `secret-${key}-${u}@students.example`, affiliations,
    });
  students = {
    enrolledA: await student("enrolledA", "Alphaqz", [{ schoolId: schoolA.id, schoolYear: year }]),
    otherA: await student("otherA", "Betaqz", [{ schoolId: schoolA.id, schoolYear: year }]),
    enrolledB: await student("enrolledB", "Gammaqz", [{ schoolId: schoolB.id, schoolYear: year }]),
    otherB: await student("otherB", "Zzyzx", [{ schoolId: schoolB.id, schoolYear: year }]),
    // Moved from A to B: follows this year's school, so A's coordinator no longer sees them.
    movedToB: await student("movedToB", "Deltaqz", [{ schoolId: schoolA.id, schoolYear: year - 1 }, { schoolId: schoolB.id, schoolYear: year }]),
  };
  staffA = await createPerson(prisma, { kind: "STAFF", firstName: `Staffy${u}`, lastName: `Teacherson${u}`, districtId: `EMP-${u}`, email: `staffy-${u}@staff.example`, affiliations: [{ schoolId: schoolA.id, schoolYear: year }] });
  memberPerson = await createPerson(prisma, { kind: "STAFF", firstName: `Membery${u}`, lastName: `Ownrecord${u}`, districtId: `EMP-M-${u}`, email: `member-${u}@staff.example`, affiliations: [{ schoolId: schoolB.id, schoolYear: year }] });

  const admin = await signIn("ADMIN");
  const lead = await signIn("PROGRAM_LEAD");
  const trainerA = await signIn("TRAINER");
  const trainerOther = await signIn("TRAINER");
  const coordinatorA = await signIn("COORDINATOR", { schoolIds: [schoolA.id] });
  const coordinatorB = await signIn("COORDINATOR", { schoolIds: [schoolB.id] });
  const member = await signIn("MEMBER", { personId: memberPerson.id });
  memberUserId = member.user.id;
  trainerAId = trainerA.user.id;
  Object.assign(cookies, {
    admin: admin.cookie, lead: lead.cookie, trainerA: trainerA.cookie, trainerOther: trainerOther.cookie,
    coordinatorA: coordinatorA.cookie, coordinatorB: coordinatorB.cookie, member: member.cookie,
  });

  // Days in the past, so the attendance and close pages show their rosters.
  const start = new Date(Date.now() - 3 * 24 * 3600_000);
  const days = [{ startsAt: start, endsAt: new Date(start.getTime() + 2 * 3600_000) }];
  const sa = await createSession(prisma, { programId: qpr.id, schoolId: schoolA.id, audience: "STUDENTS", leadTrainerId: trainerA.user.id, days });
  const ss = await createSession(prisma, { programId: ymhfa.id, schoolId: schoolA.id, audience: "STAFF", leadTrainerId: trainerA.user.id, days });
  const sv = await createSession(prisma, { programId: ymhfa.id, siteName: "Online", audience: "MIXED", leadTrainerId: trainerOther.user.id, days });
  [studentSessionA, staffSessionA, virtualSession] = [sa.id, ss.id, sv.id];
  for (const p of [students.enrolledA, students.enrolledB]) {
    const e = await enroll(prisma, { sessionId: sa.id, personId: p.id });
    await prisma.attendance.create({ data: { enrollmentId: e.id, sessionDayId: sa.days[0].id, status: "PRESENT", method: "QR" } });
  }
  await enroll(prisma, { sessionId: ss.id, personId: staffA.id });
  await enroll(prisma, { sessionId: sv.id, personId: memberPerson.id });

  for (const p of [students.enrolledA, students.enrolledB, students.otherB]) await issueCertification(prisma, { personId: p.id, programId: qpr.id });
  await issueCertification(prisma, { personId: students.movedToB.id, programId: qpr.id, issuedOn: new Date(Date.UTC(year - 1, 9, 15)) });
  // Staff and member expiring soon: the coordinators' lists and export.
  for (const p of [staffA, memberPerson]) {
    await issueCertification(prisma, { personId: p.id, programId: ymhfa.id, issuedOn: new Date(Date.now() - 1000 * 24 * 3600_000), expiresOn: new Date(Date.now() + 30 * 24 * 3600_000) });
  }
});

// The students' certificates, for the person pages' PDF route.
let studentCerts: Array<{ id: string; personId: string }> = [];
beforeAll(async () => {
  studentCerts = await prisma.certification.findMany({ where: { personId: { in: Object.values(students).map((s) => s.id) } }, select: { id: true, personId: true } });
});

type Step = { label: string; pattern: string; mod: Module; url: string; form?: () => FormData; params: Record<string, string>; echoes?: string[] };

function sessionSteps(sessionId: string, paperSearches: boolean): Step[] {
  const base = `/sessions/${sessionId}`;
  const p = { sessionId };
  const searches = [
    ...Object.values(students).flatMap((s) => [s.districtId ?? "", s.lastName]),
    students.otherB.email ?? "", `Quarrington`, staffA.districtId ?? "",
  ];
  const rosterCsv = ["First Name,Last Name,Student ID", ...Object.values(students).map((s) => `Pat,Tester,${s.districtId}`)].join("\r\n");
  const mhfaCsv = [
    "Learner First Name,Learner Last Name,Learner Email,Course Start Date,Course End Date,Completion Status",
    ...Object.values(students).map((s) => `${s.firstName},${s.lastName},${s.email},11/14/2026,11/14/2026,Completed`),
  ].join("\n");
  const previewForm = (csvText: string, mapping: string[] | null) => () => {
    const form = new FormData();
    form.append("intent", "preview");
    form.append("csvText", csvText);
    form.append("fileName", "roster.csv");
    mapping?.forEach((field, i) => form.append(columnField(i), field));
    return form;
  };
  return [
    { label: "session page", pattern: "/sessions/:sessionId", mod: sessionPage, url: base, params: p },
    { label: "roster", pattern: "/sessions/:sessionId/roster", mod: rosterPage, url: `${base}/roster`, params: p },
    ...searches.map((q): Step => ({ label: `roster search ${q}`, pattern: "/sessions/:sessionId/roster", mod: rosterPage, url: `${base}/roster?q=${encodeURIComponent(q)}`, params: p, echoes: [q] })),
    ...(paperSearches ? searches : []).map((q): Step => ({ label: `paper search ${q}`, pattern: "/sessions/:sessionId/paper", mod: paperPage, url: `${base}/paper?q=${encodeURIComponent(q)}`, params: p, echoes: [q] })),
    {
      label: "roster CSV preview (student IDs only)", pattern: "/sessions/:sessionId/roster/import", mod: rosterImportPage, url: `${base}/roster/import`, params: p,
      form: previewForm(rosterCsv, ["first_name", "last_name", "district_id"]), echoes: Object.values(students).flatMap((s) => (s.districtId ? [s.districtId] : [])),
    },
    {
      // The file holds the learners' own names and emails; what must not appear is anything the file does not: their IDs.
      label: "MHFA export preview", pattern: "/sessions/:sessionId/roster/mhfa-import", mod: mhfaImportPage, url: `${base}/roster/mhfa-import`, params: p,
      form: previewForm(mhfaCsv, null), echoes: Object.values(students).flatMap((s) => [s.firstName, s.lastName, s.email ?? ""]),
    },
    { label: "attendance", pattern: "/sessions/:sessionId/attendance", mod: attendancePage, url: `${base}/attendance`, params: p },
    { label: "paper sheet", pattern: "/sessions/:sessionId/paper", mod: paperPage, url: `${base}/paper`, params: p },
    { label: "sign-in sheet", pattern: "/sessions/:sessionId/sign-in-sheet", mod: signInSheetPage, url: `${base}/sign-in-sheet`, params: p },
    { label: "close", pattern: "/sessions/:sessionId/close", mod: closePage, url: `${base}/close`, params: p },
    { label: "QR check-in screen", pattern: "/sessions/:sessionId/check-in", mod: checkInPage, url: `${base}/check-in`, params: p },
    { label: "roster CSV", pattern: "/sessions/:sessionId/roster.csv", mod: rosterCsvExport, url: `${base}/roster.csv`, params: p },
  ];
}

function otherSteps(): Step[] {
  const reach = (label: string, mod: Module, pattern: string, url: string, params: Record<string, string>): Step => ({ label, mod, pattern, url, params });
  const lists = ["students-year", "students-all", "students-expiring", "staff-current", "staff-expiring"];
  return [
    reach("coordinator home", coordinatorHome, "/coordinator", "/coordinator", {}),
    reach("coordinator export", coordinatorCsv, "/coordinator/expiring.csv", "/coordinator/expiring.csv", {}),
    ...[schoolA, schoolB].flatMap((s) => lists.flatMap((list) => [
      reach(`school reach ${list}`, schoolReach, "/lead/schools/:schoolId", `/lead/schools/${s.id}?list=${list}`, { schoolId: s.id }),
      reach(`school export ${list}`, schoolReachCsv, "/lead/schools/:schoolId/export.csv", `/lead/schools/${s.id}/export.csv?table=people&list=${list}`, { schoolId: s.id }),
    ])),
    ...lists.flatMap((list) => [
      reach(`region reach ${list}`, regionReach, "/lead/regions/:regionId", `/lead/regions/${schoolA.regionId}?list=${list}`, { regionId: schoolA.regionId }),
      reach(`region export ${list}`, regionReachCsv, "/lead/regions/:regionId/export.csv", `/lead/regions/${schoolA.regionId}/export.csv?table=people&list=${list}`, { regionId: schoolA.regionId }),
    ]),
    ...walkProgramIds.flatMap((programId) => ["", `&school=${schoolA.id}`, `&school=${schoolB.id}`, `&region=${schoolA.regionId}`].map((place) => reach(
      `certificates export ${place || "district"}`, certificatesCsvExport, "/reports/certificates/export.csv",
      `/reports/certificates/export.csv?program=${programId}${place}&from=${schoolYearOf(new Date()) - 2}-01-01&to=${new Date().toISOString().slice(0, 10)}`, {},
    ))),
    reach("lead home", leadHome, "/lead", "/lead", {}),
    reach("lead report", leadReport, "/lead/report", "/lead/report", {}),
    reach("lead growth", leadGrowth, "/lead/growth", "/lead/growth", {}),
    reach("admin user", adminUser, "/admin/users/:userId", `/admin/users/${memberUserId}`, { userId: memberUserId }),
    reach("admin users", adminUsers, "/admin/users", "/admin/users", {}),
    reach("admin outbox", adminOutbox, "/admin/outbox", "/admin/outbox", {}),
    reach("admin reminders", adminReminders, "/admin/reminders", "/admin/reminders", {}),
    reach("member home", memberHome, "/me", "/me", {}),
    reach("trainer home", trainerHome, "/trainer", "/trainer", {}),
    reach("people", peopleList, "/people", "/people", {}),
    reach("people last year", peopleList, "/people", `/people?year=${schoolYearOf(new Date()) - 1}`, {}),
    reach("people: students", peopleList, "/people", "/people?kind=student", {}),
    ...[...Object.values(students), staffA].flatMap((s) => [s.districtId ?? "", s.lastName].map((q): Step => ({
      label: `people search ${q}`, mod: peopleList, pattern: "/people", url: `/people?q=${encodeURIComponent(q)}`, params: {}, echoes: [q],
    }))),
    ...[...Object.values(students), staffA, memberPerson].map((s) => reach(`person page ${s.lastName}`, personPage, "/people/:personId", `/people/${s.id}`, { personId: s.id })),
    ...[...Object.values(students), staffA].map((s) => reach(`edit person ${s.lastName}`, personEdit, "/people/:personId/edit", `/people/${s.id}/edit`, { personId: s.id })),
    reach("duplicates queue", duplicatesQueue, "/people/duplicates", "/people/duplicates", {}),
    reach("compare two students", duplicatesCompare, "/people/duplicates/compare", `/people/duplicates/compare?a=${students.enrolledA.id}&b=${students.otherB.id}`, {}),
    ...studentCerts.map((c) => reach(`certificate PDF ${c.id}`, personPdf, "/people/:personId/certificates/:certificationId/pdf", `/people/${c.personId}/certificates/${c.id}/pdf`, { personId: c.personId, certificationId: c.id })),
    ...studentCerts.map((c) => reach(`certificate page ${c.id}`, certificatePage, "/people/:personId/certificates/:certificationId", `/people/${c.personId}/certificates/${c.id}`, { personId: c.personId, certificationId: c.id })),
  ];
}

/** Everything a step puts in front of the role: the page's HTML, the loader's or action's data, a CSV's text. */
async function output(step: Step, cookie: string): Promise<string> {
  const request = () => makeRequest(step.url, step.form ? { method: "POST", cookie, form: step.form() } : { cookie });
  const parts: string[] = [];
  const fn = step.form ? step.mod.action : step.mod.loader;
  let refused = false;
  if (fn) {
    let raw: unknown;
    try {
      raw = await fn({ request: request(), params: step.params, context: {} });
    } catch (thrown) {
      if (!(thrown instanceof Response)) throw thrown;
      raw = thrown;
    }
    if (raw instanceof Response) {
      // Refused (redirect, 403, 404): the error page shows no data, and rendering it only logs.
      refused = raw.status >= 300;
      parts.push(await raw.text());
    } else {
      parts.push(JSON.stringify(raw) ?? "");
    }
  }
  if (step.mod.default && !refused) {
    const { html } = await renderPage(step.pattern, { ...step.mod, default: step.mod.default }, request());
    // React's text separators would split a sentence the assertions look for.
    parts.push(html.replaceAll("<!-- -->", ""));
  }
  let text = parts.join("\n");
  // What the role typed or uploaded comes back to them: it reveals nothing they did not have.
  for (const echo of step.echoes ?? []) if (echo) text = text.split(echo).join("");
  return text;
}

/** Which students each role must see somewhere on these pages, and which it must never see. */
const EXPECT: Record<RoleKey, { sees: Array<keyof typeof students>; never: Array<keyof typeof students>; alsoSees?: () => Person }> = {
  admin: { sees: ["enrolledA", "otherA", "enrolledB", "otherB", "movedToB"], never: [] },
  lead: { sees: [], never: ["enrolledA", "otherA", "enrolledB", "otherB", "movedToB"], alsoSees: () => staffA },
  trainerA: { sees: ["enrolledA", "enrolledB", "otherA"], never: ["otherB", "movedToB"] },
  trainerOther: { sees: [], never: ["enrolledA", "otherA", "enrolledB", "otherB", "movedToB"], alsoSees: () => staffA },
  // The people directory lists every student of a coordinator's schools (by their current school).
  coordinatorA: { sees: ["enrolledA", "otherA"], never: ["enrolledB", "otherB", "movedToB"] },
  coordinatorB: { sees: ["enrolledB", "otherB", "movedToB"], never: ["enrolledA", "otherA"] },
  member: { sees: [], never: ["enrolledA", "otherA", "enrolledB", "otherB", "movedToB"], alsoSees: () => memberPerson },
};

describe("no page or export shows a student to a role that does not work with the student's school", () => {
  for (const role of ROLE_KEYS) {
    it(`as ${role}`, async () => {
      const cookie = cookies[role] ?? "";
      const steps = [...sessionSteps(studentSessionA, false), ...sessionSteps(staffSessionA, true), ...sessionSteps(virtualSession, false), ...otherSteps()];
      const leaks: string[] = [];
      const seen = new Set<string>();
      for (const step of steps) {
        const text = await output(step, cookie);
        for (const key of EXPECT[role].never) {
          for (const m of markers(students[key])) if (text.includes(m)) leaks.push(`${step.label} (${step.url}) shows ${key}'s ${m}`);
        }
        for (const key of EXPECT[role].sees) if (text.includes(students[key].lastName)) seen.add(key);
        const also = EXPECT[role].alsoSees?.();
        if (also && markers(also).some((m) => text.includes(m))) seen.add("also");
      }
      expect(leaks).toEqual([]);
      const wanted = [...EXPECT[role].sees, ...(EXPECT[role].alsoSees ? ["also"] : [])];
      expect([...seen].sort(), "the students (and people) this role must see").toEqual(wanted.sort());
    }, 180_000);
  }
});

describe("roster matching and printed sheets", () => {
  it("a staff session's roster search by a student ID of another school finds nobody, exactly as an unknown ID", async () => {
    const cookie = cookies.trainerA ?? "";
    const search = async (q: string) =>
      (await renderPage("/sessions/:sessionId/roster", rosterPage, makeRequest(`/sessions/${staffSessionA}/roster?q=${encodeURIComponent(q)}`, { cookie }))).html.replaceAll("<!-- -->", "");
    const hidden = await search(students.otherB.districtId ?? "");
    const unknown = await search(`STU-NOBODY-${u}`);
    expect(hidden).toContain(`Nobody matches “${students.otherB.districtId}”`);
    expect(hidden.split(students.otherB.districtId ?? "").join("Q")).toBe(unknown.split(`STU-NOBODY-${u}`).join("Q"));
    // A student of the session's own school is found.
    expect(await search(students.otherA.districtId ?? "")).toContain(students.otherA.lastName);
  });

  it("a hidden student cannot be added by posting their record id", async () => {
    const res = await call(() => rosterPage.action({
      request: makeRequest(`/sessions/${staffSessionA}/roster`, { method: "POST", cookie: cookies.trainerA, form: { intent: "add", personId: students.otherB.id } }),
      params: { sessionId: staffSessionA }, context: {},
    }));
    expect(res.status).toBe(400);
    expect(await prisma.enrollment.count({ where: { sessionId: staffSessionA, personId: students.otherB.id } })).toBe(0);
  });

  it("creating a person with a hidden student's ID is refused without naming them, and a name + email lookalike is not suggested", async () => {
    // A session of its own: the lookalike is created and enrolled there, away from the walk's data.
    const own = await createSession(prisma, { schoolId: schoolA.id, audience: "STUDENTS", leadTrainerId: trainerAId });
    const post = (form: Record<string, string>) => call(() => rosterPage.action({
      request: makeRequest(`/sessions/${own.id}/roster`, { method: "POST", cookie: cookies.trainerA, form: { intent: "create", kind: "STUDENT", ...form } }),
      params: { sessionId: own.id }, context: {},
    }));
    const taken = await post({ districtId: students.otherB.districtId ?? "", firstName: "Pat", lastName: "Tester" });
    expect(taken.status).toBe(400);
    expect(JSON.stringify(taken.data)).toContain("is already in use");
    for (const m of [students.otherB.firstName, students.otherB.lastName, students.otherB.email ?? ""]) expect(JSON.stringify(taken.data)).not.toContain(m);
    // Same name and email as the hidden student: no "already known" suggestion (it would show their ID).
    const lookalike = await post({ firstName: students.otherB.firstName, lastName: students.otherB.lastName, email: students.otherB.email ?? "" });
    expect(JSON.stringify(lookalike.data)).not.toContain(students.otherB.districtId);
    expect(JSON.stringify(lookalike.data)).not.toContain("lookalikes\":[{");
  });

  it("a roster file row with a hidden student's ID is an error that names the line, not the person, and imports nothing", async () => {
    const before = await prisma.enrollment.count({ where: { sessionId: staffSessionA } });
    const form = new FormData();
    form.append("intent", "commit");
    form.append("csvText", `First Name,Last Name,Student ID\r\nPat,Tester,${students.otherB.districtId}\r\n`);
    ["first_name", "last_name", "district_id"].forEach((f, i) => form.append(columnField(i), f));
    const res = await call(() => rosterImportPage.action({ request: makeRequest(`/sessions/${staffSessionA}/roster/import`, { method: "POST", cookie: cookies.trainerA, form }), params: { sessionId: staffSessionA }, context: {} }));
    expect(res.status).toBe(400);
    const text = JSON.stringify(res.data);
    expect(text).toContain(`Line 2: district ID \\"${students.otherB.districtId}\\" cannot be matched from this session`);
    for (const m of [students.otherB.firstName, students.otherB.lastName, students.otherB.email ?? ""]) expect(text).not.toContain(m);
    expect(await prisma.enrollment.count({ where: { sessionId: staffSessionA } })).toBe(before);
  });

  it("printed sign-in sheets carry no student ID, for any role that can print them", async () => {
    for (const role of ["admin", "trainerA"] as const) {
      const { status, html } = await renderPage("/sessions/:sessionId/sign-in-sheet", signInSheetPage, makeRequest(`/sessions/${studentSessionA}/sign-in-sheet`, { cookie: cookies[role] }));
      expect(status).toBe(200);
      expect(html).toContain(students.enrolledA.lastName);
      for (const s of [students.enrolledA, students.enrolledB]) {
        expect(html).not.toContain(s.districtId);
        expect(html).not.toContain(s.email);
      }
    }
  });

  it("a program lead sees a student session's roster as a count", async () => {
    const { status, html } = await renderPage("/sessions/:sessionId", sessionPage, makeRequest(`/sessions/${studentSessionA}`, { cookie: cookies.lead }));
    expect(status).toBe(200);
    expect(html.replaceAll("<!-- -->", "")).toContain("2 students enrolled (names shown only to those who work with their school)");
  });
});
