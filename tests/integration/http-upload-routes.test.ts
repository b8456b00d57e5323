/**
 * The four CSV upload routes read a multipart body as it streams and stop at the per-file cap (5 MB),
 * answering with a message for the file field; a visitor the guard refuses never has the body read.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma, signIn } from "./helpers";
import { streamedUpload } from "./streamed-upload";
import { createProgram, createSchool, createSession } from "../../prisma/seed/factories";
import * as rosterImport from "~/routes/sessions.$sessionId.roster.import";
import * as mhfaImport from "~/routes/sessions.$sessionId.roster.mhfa-import";
import * as schoolsImport from "~/routes/admin.schools.import";
import * as headcountsImport from "~/routes/admin.headcounts.import";

const MB = 1024 * 1024;

async function settle(result: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    return unwrap(await result);
  } catch (thrown) {
    return unwrap(thrown);
  }
}
function unwrap(value: unknown): { status: number; data: unknown } {
  if (value instanceof Response) return { status: value.status, data: null };
  if (value && typeof value === "object" && "type" in value && value.type === "DataWithResponseInit" && "data" in value && "init" in value) {
    const init = value.init;
    const status = init && typeof init === "object" && "status" in init && typeof init.status === "number" ? init.status : 200;
    return { status, data: value.data };
  }
  return { status: 200, data: value };
}

type Route = { name: string; path: string; params: Record<string, string>; action: (args: { request: Request; params: Record<string, string>; context: Record<string, never> }) => Promise<unknown>; cookie: string; intent: string };
const routes: Route[] = [];

beforeAll(async () => {
  const trainer = await signIn("TRAINER");
  const admin = await signIn("ADMIN");
  const school = await createSchool(prisma);
  const program = await createProgram(prisma, { preset: "YMHFA", maxParticipants: null });
  const session = await createSession(prisma, { programId: program.id, schoolId: school.id, leadTrainerId: trainer.user.id, capacity: null });
  const params = { sessionId: session.id };
  routes.push(
    { name: "roster CSV import", path: `/sessions/${session.id}/roster/import`, params, action: rosterImport.action, cookie: trainer.cookie, intent: "upload" },
    { name: "MHFA export import", path: `/sessions/${session.id}/roster/mhfa-import`, params, action: mhfaImport.action, cookie: trainer.cookie, intent: "preview" },
    { name: "schools import", path: "/admin/schools/import", params: {}, action: schoolsImport.action, cookie: admin.cookie, intent: "preview" },
    { name: "headcounts import", path: "/admin/headcounts/import", params: {}, action: headcountsImport.action, cookie: admin.cookie, intent: "preview" },
  );
});

describe("the CSV upload routes", () => {
  it("stop reading a 50 MB file at the 5 MB cap and say so on the file field", async () => {
    for (const route of routes) {
      const upload = streamedUpload({ path: route.path, cookie: route.cookie, intent: route.intent, fileBytes: 50 * MB, firstLine: "code,name\r\n", fill: "1,Someone Somewhere\r\n" });
      const res = await settle(route.action({ request: upload.request, params: route.params, context: {} }));
      expect(res.status, route.name).toBe(400);
      expect(JSON.stringify(res.data), route.name).toContain("The file is larger than 5 MB. Split it into smaller files.");
      // request.formData() took all 50 MB into memory before the size was looked at.
      expect(upload.pulled(), route.name).toBeLessThan(6 * MB);
    }
  });

  it("never read the body of a visitor the guard refuses", async () => {
    for (const route of routes) {
      const upload = streamedUpload({ path: route.path, intent: route.intent, fileBytes: 50 * MB, firstLine: "code,name\r\n", fill: "1,Someone Somewhere\r\n" });
      const res = await settle(route.action({ request: upload.request, params: route.params, context: {} }));
      expect(res.status, route.name).toBe(302);
      expect(upload.pulled(), route.name).toBeLessThan(200 * 1024);
    }
  });
});
