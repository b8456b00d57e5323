/**
 * A school's safety protocol (Teen MHFA readiness needs one, with 10% of staff holding YMHFA): recorded
 * and cleared on the school's reach page by its coordinators, program leads and administrators; audited in
 * plain words; bad dates named; everyone else refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { createSchool } from "../../prisma/seed/factories";
import { readAuditTrail } from "~/models/audit-trail.server";
import { recordSafetyProtocol } from "~/models/school.server";
import * as schoolRoute from "~/routes/lead.schools.$schoolId";

type SignedIn = Awaited<ReturnType<typeof signIn>>;
let school: Awaited<ReturnType<typeof createSchool>>;
let other: Awaited<ReturnType<typeof createSchool>>;
let coordinator: SignedIn;
beforeAll(async () => {
  [school, other] = [await createSchool(prisma), await createSchool(prisma)];
  coordinator = await signIn("COORDINATOR", { schoolIds: [school.id] });
});

function post(who: SignedIn, form: Record<string, string>, schoolId = school.id) {
  return call(() => schoolRoute.action({ request: makeRequest(`/lead/schools/${schoolId}?year=2025-26`, { method: "POST", cookie: who.cookie, form }), params: { schoolId }, context: {} }));
}
const since = async (id = school.id) => (await prisma.school.findUniqueOrThrow({ where: { id }, select: { safetyProtocolSince: true } })).safetyProtocolSince;
const events = (id = school.id) => prisma.auditEvent.findMany({ where: { entityType: "School", entityId: id, action: "school.safety-protocol" }, orderBy: { createdAt: "asc" } });

describe("recording a school's safety protocol", () => {
  it("the school's coordinator records it, back to the page as it was; saving the same day again writes nothing; clearing it is audited too", async () => {
    const res = await post(coordinator, { intent: "safety-protocol", since: "2025-09-02" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/lead/schools/${school.id}?year=2025-26#readiness`);
    expect((await since())?.toISOString()).toBe("2025-09-02T00:00:00.000Z");
    expect((await post(coordinator, { intent: "safety-protocol", since: "2025-09-02" })).status).toBe(302);
    expect(await events()).toHaveLength(1);
    expect((await post(coordinator, { intent: "clear-safety-protocol" })).status).toBe(302);
    expect(await since()).toBeNull();
    const admin = await signIn("ADMIN");
    const trail = await readAuditTrail({ ...admin.user, schoolIds: [] }, { actorIds: [coordinator.user.id] }, { timeZone: "America/Los_Angeles" });
    expect(trail.entries.map((e) => e.words).reverse()).toEqual([
      `${coordinator.user.name} recorded the safety protocol of ${school.name} as in place since Sep 2, 2025`,
      `${coordinator.user.name} cleared the safety protocol of ${school.name} (was in place since Sep 2, 2025)`,
    ]);
  });

  it("refuses a date that is not real, in the future or missing, naming the field, and writes nothing", async () => {
    const lead = await signIn("PROGRAM_LEAD");
    for (const [value, message] of [["2025-02-30", /^In place since: 2025-02-30 is not a real date/], ["2999-01-01", /^In place since: /], ["", /^In place since is required$/], ["soon", /^In place since: /]] as const) {
      const res = await post(lead, { intent: "safety-protocol", since: value }, other.id);
      expect(res.status, value).toBe(400);
      expect((res.data as { errors: Record<string, string> }).errors.since).toMatch(message);
    }
    expect((await post(lead, { intent: "nothing" }, other.id)).status).toBe(400);
    expect(await since(other.id)).toBeNull();
    expect(await events(other.id)).toEqual([]);
  });

  it("refuses everyone else: a coordinator of another school 404, trainers and members 403, an unknown school 404; admins and leads may", async () => {
    const form = { intent: "safety-protocol", since: "2024-01-15" };
    expect((await post(coordinator, form, other.id)).status).toBe(404);
    for (const role of ["TRAINER", "MEMBER"] as const) expect((await post(await signIn(role), form, other.id)).status).toBe(403);
    const admin = await signIn("ADMIN");
    expect((await post(admin, form, "no-such-school")).status).toBe(404);
    expect(await since(other.id)).toBeNull();
    expect((await post(admin, form, other.id)).status).toBe(302);
    expect((await since(other.id))?.toISOString().slice(0, 10)).toBe("2024-01-15");
  });

  it("two saves at once both land in order, each audit naming the day it replaced", async () => {
    const s = await createSchool(prisma);
    const admin = await signIn("ADMIN");
    await Promise.all(["2024-03-01", "2024-04-01", "2024-05-01"].map((d) => recordSafetyProtocol({ schoolId: s.id, since: new Date(`${d}T00:00:00Z`), actorId: admin.user.id })));
    const trail = (await events(s.id)).map((e) => JSON.parse(e.details) as { since: string; previous: string | null });
    expect(trail).toHaveLength(3);
    // A chain: each event's "previous" is the one before it; the first replaced nothing; the last is what is stored.
    expect(trail[0].previous).toBeNull();
    for (let i = 1; i < trail.length; i += 1) expect(trail[i].previous).toBe(trail[i - 1].since);
    expect((await since(s.id))?.toISOString().slice(0, 10)).toBe(trail[2].since);
  });
});
