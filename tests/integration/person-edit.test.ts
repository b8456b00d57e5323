/**
 * Editing a person (/people/:personId/edit): administrators only, every change audited with what
 * it was before, bad input named and nothing written, a district ID held by someone else refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { auditDetails, errorsOf, expectAdminOnly } from "./admin-route-helpers";
import { renderPage } from "./page-render";
import { createPerson } from "../../prisma/seed/factories";
import * as editPage from "~/routes/people.$personId_.edit";
import * as personPage from "~/routes/people.$personId";

let adminCookie: string;
let leadCookie: string;
let u: string;

beforeAll(async () => {
  u = unique("pe");
  adminCookie = (await signIn("ADMIN")).cookie;
  leadCookie = (await signIn("PROGRAM_LEAD")).cookie;
});

const form = (over: Record<string, string> = {}) => ({ firstName: "Ana", lastName: `Edited${u}`, email: "", districtId: "", kind: "STAFF", ...over });

const post = (personId: string, values: Record<string, string>, cookie = adminCookie) =>
  call(() => editPage.action({ request: makeRequest(`/people/${personId}/edit`, { method: "POST", cookie, form: values }), params: { personId }, context: {} }));

const auditsOf = (personId: string) => prisma.auditEvent.findMany({ where: { entityType: "Person", entityId: personId, action: "person.update" } });

describe("editing a person", () => {
  it("saves names, email, district ID and kind in one go, audited with each field's before and after", async () => {
    const p = await createPerson(prisma, { kind: "COMMUNITY", firstName: "Anna", lastName: `Old${u}`, districtId: null, email: null });
    const res = await post(p.id, form({ email: " Ana@Example.ORG ", districtId: `E-${u}`, kind: "STAFF" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/people/${p.id}`);
    const saved = await prisma.person.findUniqueOrThrow({ where: { id: p.id } });
    expect(saved).toMatchObject({ firstName: "Ana", lastName: `Edited${u}`, email: "ana@example.org", districtId: `E-${u}`, kind: "STAFF" });
    const [event] = await auditsOf(p.id);
    expect(auditDetails(event.details)).toEqual({
      changes: {
        firstName: ["Anna", "Ana"], lastName: [`Old${u}`, `Edited${u}`], email: [null, "ana@example.org"], districtId: [null, `E-${u}`], kind: ["COMMUNITY", "STAFF"],
      },
    });
  });

  it("writes nothing, not even an audit event, when nothing changed", async () => {
    const p = await createPerson(prisma, { firstName: "Ana", lastName: `Edited${u}`, districtId: null, email: null, kind: "STAFF" });
    expect((await post(p.id, form())).status).toBe(302);
    expect(await auditsOf(p.id)).toEqual([]);
  });

  it("refuses bad input with a message naming each field, and changes nothing", async () => {
    const p = await createPerson(prisma, { firstName: "Keep", lastName: `Bad${u}` });
    const res = await post(p.id, { firstName: "  ", lastName: "x".repeat(101), email: "not-an-email", districtId: "has space", kind: "ALIEN" });
    expect(res.status).toBe(400);
    const errors = errorsOf(res.data);
    expect(errors.firstName).toBe("First name is required");
    expect(errors.lastName).toMatch(/^Last name must be at most 100 characters/);
    expect(errors.email).toMatch(/^Email: "not-an-email" is not a valid email address/);
    expect(errors.districtId).toMatch(/^District ID: .*may hold only letters/);
    expect(errors.kind).toMatch(/^Kind:/);
    expect(await prisma.person.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ firstName: "Keep", lastName: `Bad${u}` });
    expect(await auditsOf(p.id)).toEqual([]);
  });

  it("refuses a district ID another record holds, naming that record, and changes nothing", async () => {
    const holder = await createPerson(prisma, { firstName: "Holder", lastName: `Taken${u}`, districtId: `TAKEN-${u}` });
    const p = await createPerson(prisma, { firstName: "Ana", lastName: `Edited${u}`, districtId: `MINE-${u}` });
    const res = await post(p.id, form({ districtId: `TAKEN-${u}` }));
    expect(res.status).toBe(400);
    expect(errorsOf(res.data).districtId).toBe(`District ID TAKEN-${u} is already held by Holder Taken${u}; if they are one person, merge the two records instead`);
    expect((await prisma.person.findUniqueOrThrow({ where: { id: p.id } })).districtId).toBe(`MINE-${u}`);
    expect((await prisma.person.findUniqueOrThrow({ where: { id: holder.id } })).districtId).toBe(`TAKEN-${u}`);
  });

  it("refuses to edit a merged record: the page and the error say to edit the survivor", async () => {
    const survivor = await createPerson(prisma, { firstName: "Sur", lastName: `Vivor${u}` });
    const merged = await createPerson(prisma, { firstName: "Mer", lastName: `Ged${u}`, mergedIntoId: survivor.id });
    const res = await post(merged.id, form());
    expect(res.status).toBe(400);
    expect(errorsOf(res.data).form).toBe(`This record was merged into Sur Vivor${u}: edit that record instead (or undo the merge first)`);
    expect((await prisma.person.findUniqueOrThrow({ where: { id: merged.id } })).firstName).toBe("Mer");
    const page = await renderPage("/people/:personId/edit", editPage, makeRequest(`/people/${merged.id}/edit`, { cookie: adminCookie }));
    expect(page.status).toBe(200);
    expect(page.html.replaceAll("<!-- -->", "")).toContain("edit that record instead");
    expect(page.html).not.toContain('name="firstName"');
  });

  it("an unknown person is a 404", async () => {
    const res = await call(() => editPage.loader({ request: makeRequest("/people/nope/edit", { cookie: adminCookie }), params: { personId: "nope" }, context: {} }));
    expect(res.status).toBe(404);
    expect((await post("nope", form())).status).toBe(404);
  });

  it("is for administrators only: every other role gets 403, a signed-out visitor is sent to sign in", async () => {
    const p = await createPerson(prisma, { firstName: "Guarded", lastName: `Person${u}` });
    await expectAdminOnly([
      { name: "edit page", path: `/people/${p.id}/edit`, fn: editPage.loader, params: { personId: p.id } },
      { name: "edit save", path: `/people/${p.id}/edit`, fn: editPage.action, params: { personId: p.id }, method: "POST", form: form() },
    ]);
    expect((await prisma.person.findUniqueOrThrow({ where: { id: p.id } })).firstName).toBe("Guarded");
  });

  it("the person page links to the edit page for administrators, not for program leads", async () => {
    const p = await createPerson(prisma, { firstName: "Linked", lastName: `Person${u}` });
    const page = (cookie: string) => renderPage("/people/:personId", personPage, makeRequest(`/people/${p.id}`, { cookie }));
    expect((await page(adminCookie)).html).toContain(`href="/people/${p.id}/edit"`);
    expect((await page(leadCookie)).html).not.toContain(`/people/${p.id}/edit`);
  });
});
