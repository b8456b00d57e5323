/**
 * Every absolute address the app writes (the check-in QR link, the certificate's check address, the
 * calendar feed, event UIDs) is built from PUBLIC_BASE_URL, never from the Host header of the request:
 * each request here arrives with a forged host.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PDFParse } from "pdf-parse";
import { prisma, signIn } from "./helpers";
import { isoFromToday, makeCertificate, makeProgram, makeSession, signInMember } from "./member-fixtures";
import { createProgram, createSchool, createSession } from "../../prisma/seed/factories";
import { getEnv } from "~/env.server";
import { createOrReplaceCalendarFeed } from "~/models/calendar.server";
import { openCheckIn } from "~/models/check-in.server";
import * as checkInScreen from "~/routes/sessions.$sessionId.check-in";
import * as pdfRoute from "~/routes/me.certificates.$certificationId.pdf";
import * as certificateIcs from "~/routes/me.certificates.$certificationId.ics";
import * as sessionIcs from "~/routes/me.sessions.$sessionId.ics";
import * as feedRoute from "~/routes/calendar.$token";
import * as mePage from "~/routes/me._index";

const FORGED = "evil.example";
const forged = (path: string, cookie?: string) =>
  new Request(`http://${FORGED}${path}`, { headers: { Host: FORGED, ...(cookie ? { Cookie: cookie } : {}) } });

const base = () => getEnv().PUBLIC_BASE_URL;
const baseHost = () => new URL(base()).hostname;

async function textOf(result: unknown): Promise<string> {
  if (!(result instanceof Response)) throw new Error("expected a Response");
  return result.text();
}

let member: Awaited<ReturnType<typeof signInMember>>;
let certificateId: string;
let sessionId: string;

beforeAll(async () => {
  member = await signInMember();
  const program = await makeProgram();
  const session = await makeSession({ programId: program.id, enroll: [member.person.id], days: [[`${isoFromToday(10)}T16:00:00Z`, `${isoFromToday(10)}T19:00:00Z`]] });
  sessionId = session.id;
  certificateId = (await makeCertificate({ personId: member.person.id, programId: program.id, issuedOn: isoFromToday(-30), expiresOn: isoFromToday(700) })).id;
});

describe("absolute links ignore the request's Host header", () => {
  it("the check-in QR link", async () => {
    const { user: trainer, cookie } = await signIn("TRAINER");
    const start = new Date();
    const session = await createSession(prisma, {
      programId: (await createProgram(prisma)).id,
      schoolId: (await createSchool(prisma)).id,
      leadTrainerId: trainer.id,
      days: [{ startsAt: start, endsAt: new Date(start.getTime() + 2 * 3600_000) }],
    });
    const day = session.days[0];
    await openCheckIn(day.id, trainer.id, { sessionId: session.id });
    const screen = await checkInScreen.loader({ request: forged(`/sessions/${session.id}/check-in?day=${day.id}`, cookie), params: { sessionId: session.id }, context: {} });
    const link = String(Reflect.get(Object(screen), "link"));
    expect(link.startsWith(`${base()}/check-in/`)).toBe(true);
    expect(String(Reflect.get(Object(screen), "qrSvg"))).not.toContain(FORGED);
  });

  it("the certificate PDF's check address", async () => {
    const pdf = await pdfRoute.loader({ request: forged(`/me/certificates/${certificateId}/pdf`, member.cookie), params: { certificationId: certificateId }, context: {} });
    if (!(pdf instanceof Response)) throw new Error("expected a Response");
    const parser = new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    const code = (await prisma.certification.findUniqueOrThrow({ where: { id: certificateId } })).verificationCode;
    expect(text).toContain(`${base()}/verify/${code}`);
    expect(text).not.toContain(FORGED);
  });

  it("the calendar feed address on the member page, and the UIDs of every calendar", async () => {
    const token = await createOrReplaceCalendarFeed(member.user.id, { replace: false });
    const page = await mePage.loader({ request: forged("/me", member.cookie), params: {}, context: {} });
    const hostAndPath = base().replace(/^https?:\/\//, "");
    expect(Reflect.get(Object(page), "feed")).toEqual({ url: `${base()}/calendar/${token}`, webcal: `webcal://${hostAndPath}/calendar/${token}` });

    const calendars = [
      await feedRoute.loader({ request: forged(`/calendar/${token}`), params: { token }, context: {} }),
      await certificateIcs.loader({ request: forged(`/me/certificates/${certificateId}/ics`, member.cookie), params: { certificationId: certificateId }, context: {} }),
      await sessionIcs.loader({ request: forged(`/me/sessions/${sessionId}/ics`, member.cookie), params: { sessionId }, context: {} }),
    ];
    for (const calendar of calendars) {
      const text = await textOf(calendar);
      expect(text).toMatch(new RegExp(`UID:[^\\r]+@${baseHost().replace(/\./g, "\\.")}\\r\\n`));
      expect(text).not.toContain(FORGED);
    }
  });
});
