/**
 * Merging two records of one human and undoing it: atomic, never chained, nothing moved, only
 * empty fields of the survivor filled (and given back on undo), audited on both records; the
 * compare and merge pages for administrators only; and reach counting one person after a merge.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { auditDetails, errorsOf, expectAdminOnly } from "./admin-route-helpers";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createSchool, createSession, enroll, issueCertification } from "../../prisma/seed/factories";
import { schoolYearOf } from "~/domain/school-year";
import { mergePeople, MergeRefused, undoMerge } from "~/models/person-merge.server";
import * as comparePage from "~/routes/people.duplicates.compare";
import * as mergePage from "~/routes/people.merges.$mergeId";
import * as personPage from "~/routes/people.$personId";
import * as schoolReach from "~/routes/lead.schools.$schoolId";

let admin: Awaited<ReturnType<typeof signIn>>;
let lead: Awaited<ReturnType<typeof signIn>>;
let u: string;

beforeAll(async () => {
  u = unique("pm");
  admin = await signIn("ADMIN");
  lead = await signIn("PROGRAM_LEAD");
});

const person = (key: string, over: Parameters<typeof createPerson>[1] = {}) =>
  createPerson(prisma, { firstName: "Robin", lastName: `Merge${key}${u}`, ...over });
const get = (id: string) => prisma.person.findUniqueOrThrow({ where: { id } });

describe("merging", () => {
  it("points the merged record at the survivor, moves nothing, fills only the survivor's empty ID and email, audits both", async () => {
    const survivor = await person("S1", { districtId: null, email: null, kind: "STAFF" });
    const merged = await person("M1", { districtId: `ID-M1-${u}`, email: `m1-${u}@x.org`, kind: "COMMUNITY" });
    const cert = await issueCertification(prisma, { personId: merged.id, programId: (await createProgram(prisma)).id });
    const { mergeId } = await mergePeople({ survivorId: survivor.id, mergedId: merged.id, actorId: admin.user.id, reason: "test" });

    expect(await get(merged.id)).toMatchObject({ mergedIntoId: survivor.id, districtId: null, email: `m1-${u}@x.org`, kind: "COMMUNITY" });
    expect(await get(survivor.id)).toMatchObject({ mergedIntoId: null, districtId: `ID-M1-${u}`, email: `m1-${u}@x.org`, kind: "STAFF", firstName: "Robin" });
    expect((await prisma.certification.findUniqueOrThrow({ where: { id: cert.id } })).personId).toBe(merged.id);
    const record = await prisma.personMerge.findUniqueOrThrow({ where: { id: mergeId } });
    expect(JSON.parse(record.copied)).toEqual({ email: [null, `m1-${u}@x.org`], districtId: [null, `ID-M1-${u}`], mergedDistrictId: [`ID-M1-${u}`, null] });
    for (const [id, side] of [[merged.id, "merged"], [survivor.id, "survivor"]]) {
      const events = await prisma.auditEvent.findMany({ where: { entityType: "Person", entityId: id, action: "person.merge" } });
      expect(events).toHaveLength(1);
      expect(auditDetails(events[0].details)).toMatchObject({ mergeId, survivorId: survivor.id, mergedId: merged.id, side });
    }
  });

  it("leaves a user account linked to the merged record as it is", async () => {
    const [survivor, merged] = [await person("S13"), await person("M13")];
    const member = await signIn("MEMBER", { personId: merged.id });
    await mergePeople({ survivorId: survivor.id, mergedId: merged.id, actorId: admin.user.id });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: member.user.id } })).personId).toBe(merged.id);
  });

  it("keeps the survivor's own ID and email", async () => {
    const survivor = await person("S2", { districtId: `ID-S2-${u}`, email: `s2-${u}@x.org` });
    const merged = await person("M2", { districtId: `ID-M2-${u}`, email: `m2-${u}@x.org` });
    await mergePeople({ survivorId: survivor.id, mergedId: merged.id, actorId: admin.user.id });
    expect(await get(survivor.id)).toMatchObject({ districtId: `ID-S2-${u}`, email: `s2-${u}@x.org` });
    expect(await get(merged.id)).toMatchObject({ districtId: `ID-M2-${u}`, mergedIntoId: survivor.id });
  });

  it("re-points records already merged into the merged one, so there are no chains; undo points them back", async () => {
    const [top, middle, bottom] = [await person("T3"), await person("Mid3"), await person("B3")];
    await mergePeople({ survivorId: middle.id, mergedId: bottom.id, actorId: admin.user.id });
    const { mergeId } = await mergePeople({ survivorId: top.id, mergedId: middle.id, actorId: admin.user.id });
    expect((await get(bottom.id)).mergedIntoId).toBe(top.id);
    expect((await get(middle.id)).mergedIntoId).toBe(top.id);
    await undoMerge({ mergeId, actorId: admin.user.id });
    expect((await get(bottom.id)).mergedIntoId).toBe(middle.id);
    expect((await get(middle.id)).mergedIntoId).toBeNull();
  });

  it("undoing a merge leaves alone a re-pointed record whose own merge was undone and which was merged elsewhere since", async () => {
    const [top, middle, bottom, elsewhere] = [await person("T12"), await person("Mid12"), await person("B12"), await person("E12")];
    const first = await mergePeople({ survivorId: middle.id, mergedId: bottom.id, actorId: admin.user.id });
    const second = await mergePeople({ survivorId: top.id, mergedId: middle.id, actorId: admin.user.id });
    await undoMerge({ mergeId: first.mergeId, actorId: admin.user.id });
    await mergePeople({ survivorId: elsewhere.id, mergedId: bottom.id, actorId: admin.user.id });
    await undoMerge({ mergeId: second.mergeId, actorId: admin.user.id });
    expect((await get(bottom.id)).mergedIntoId).toBe(elsewhere.id);
    expect((await get(middle.id)).mergedIntoId).toBeNull();
  });

  it("refuses a record into itself, into a merged record, and a record already merged; nothing is written", async () => {
    const [a, b, c] = [await person("A4"), await person("B4"), await person("C4")];
    await expect(mergePeople({ survivorId: a.id, mergedId: a.id, actorId: admin.user.id })).rejects.toThrow("A record cannot be merged into itself.");
    await mergePeople({ survivorId: a.id, mergedId: b.id, actorId: admin.user.id });
    await expect(mergePeople({ survivorId: b.id, mergedId: c.id, actorId: admin.user.id })).rejects.toThrow(/was itself merged into another record/);
    await expect(mergePeople({ survivorId: c.id, mergedId: b.id, actorId: admin.user.id })).rejects.toThrow(/is already merged/);
    expect((await get(c.id)).mergedIntoId).toBeNull();
    expect(await prisma.personMerge.count({ where: { OR: [{ survivorId: c.id }, { mergedId: c.id }] } })).toBe(0);
  });

  it("two merges of one pair at once: one lands, the other is refused", async () => {
    const [a, b] = [await person("A5"), await person("B5")];
    const results = await Promise.allSettled([
      mergePeople({ survivorId: a.id, mergedId: b.id, actorId: admin.user.id }),
      mergePeople({ survivorId: a.id, mergedId: b.id, actorId: admin.user.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected");
    expect(failed?.status === "rejected" && failed.reason instanceof MergeRefused).toBe(true);
    expect(await prisma.personMerge.count({ where: { mergedId: b.id } })).toBe(1);
  });

  it("A into B and B into A at once: exactly one lands", async () => {
    const [a, b] = [await person("A6"), await person("B6")];
    const results = await Promise.allSettled([
      mergePeople({ survivorId: a.id, mergedId: b.id, actorId: admin.user.id }),
      mergePeople({ survivorId: b.id, mergedId: a.id, actorId: admin.user.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [pa, pb] = [await get(a.id), await get(b.id)];
    expect([pa.mergedIntoId, pb.mergedIntoId].filter((x) => x !== null)).toHaveLength(1);
    expect(await prisma.personMerge.count({ where: { OR: [{ mergedId: a.id }, { mergedId: b.id }] } })).toBe(1);
  });
});

describe("the survivor's page", () => {
  it("shows the certificates of the records merged into it, and no longer after undo", async () => {
    const survivor = await person("P1", { districtId: null, email: null });
    const merged = await person("P2");
    const cert = await issueCertification(prisma, { personId: merged.id, programId: (await createProgram(prisma)).id });
    const certIds = async () => {
      const res = await call(() => personPage.loader({ request: makeRequest(`/people/${survivor.id}`, { cookie: admin.cookie }), params: { personId: survivor.id }, context: {} }));
      expect(res.status).toBe(200);
      const data = res.data;
      if (!data || typeof data !== "object" || !("certifications" in data) || !Array.isArray(data.certifications)) throw new Error("no certifications");
      return data.certifications.map((c: { id: string }) => c.id);
    };
    expect(await certIds()).not.toContain(cert.id);
    const { mergeId } = await mergePeople({ survivorId: survivor.id, mergedId: merged.id, actorId: admin.user.id });
    expect(await certIds()).toContain(cert.id);
    await undoMerge({ mergeId, actorId: admin.user.id });
    expect(await certIds()).not.toContain(cert.id);
  });
});

describe("undoing a merge", () => {
  it("restores exactly what the merge changed, audited on both records; a second undo is refused", async () => {
    const survivor = await person("S7", { districtId: null, email: null });
    const merged = await person("M7", { districtId: `ID-M7-${u}`, email: `m7-${u}@x.org` });
    const { mergeId } = await mergePeople({ survivorId: survivor.id, mergedId: merged.id, actorId: admin.user.id });
    await undoMerge({ mergeId, actorId: admin.user.id });
    expect(await get(survivor.id)).toMatchObject({ districtId: null, email: null, mergedIntoId: null });
    expect(await get(merged.id)).toMatchObject({ districtId: `ID-M7-${u}`, email: `m7-${u}@x.org`, mergedIntoId: null });
    expect((await prisma.personMerge.findUniqueOrThrow({ where: { id: mergeId } })).undoneById).toBe(admin.user.id);
    for (const id of [survivor.id, merged.id]) {
      expect(await prisma.auditEvent.count({ where: { entityType: "Person", entityId: id, action: "person.unmerge" } })).toBe(1);
    }
    await expect(undoMerge({ mergeId, actorId: admin.user.id })).rejects.toThrow("This merge was undone already.");
    expect(await prisma.auditEvent.count({ where: { entityType: "Person", entityId: merged.id, action: "person.unmerge" } })).toBe(1);
  });

  it("keeps an email someone changed on the survivor since the merge, and says so", async () => {
    const survivor = await person("S8", { email: null });
    const merged = await person("M8", { email: `m8-${u}@x.org` });
    const { mergeId } = await mergePeople({ survivorId: survivor.id, mergedId: merged.id, actorId: admin.user.id });
    await prisma.person.update({ where: { id: survivor.id }, data: { email: `new-${u}@x.org` } });
    const undone = await undoMerge({ mergeId, actorId: admin.user.id });
    expect(undone.kept).toEqual(["email"]);
    expect((await get(survivor.id)).email).toBe(`new-${u}@x.org`);
  });
});

describe("the compare and merge pages", () => {
  const compare = (query: string, cookie = admin.cookie) =>
    call(() => comparePage.loader({ request: makeRequest(`/people/duplicates/compare${query}`, { cookie }), params: {}, context: {} }));
  const decide = (query: string, intent: string, cookie = admin.cookie) =>
    call(() => comparePage.action({ request: makeRequest(`/people/duplicates/compare${query}`, { method: "POST", cookie, form: { intent } }), params: {}, context: {} }));

  it("a missing, malformed or repeated id is a 400 naming the field; an unknown one a 404", async () => {
    const a = await person("Q1");
    expect(errorsOf((await compare(`?a=${a.id}`)).data)).toEqual({ b: "Record B is required" });
    expect((await compare(`?a=${a.id}`)).status).toBe(400);
    expect(errorsOf((await compare(`?a=${a.id}&b=${a.id}`)).data)).toEqual({ b: "Record B: choose a record other than record A" });
    expect(errorsOf((await compare(`?a=${a.id}&b=%3Cscript%3E`)).data)).toEqual({ b: "Record B is not a record id" });
    expect((await compare(`?a=${a.id}&b=nobody${u}`)).status).toBe(404);
    expect((await compare(`?row=nobody${u}`)).status).toBe(404);
    expect((await decide(`?a=${a.id}&b=${a.id}`, "merge-b-into-a")).status).toBe(400);
  });

  it("merging from the compare page leads to the merge's page, whose undo separates them again", async () => {
    const [a, b] = [await person("A9"), await person("B9")];
    const page = await renderPage("/people/duplicates/compare", comparePage, makeRequest(`/people/duplicates/compare?a=${a.id}&b=${b.id}`, { cookie: admin.cookie }));
    expect(page.status).toBe(200);
    for (const words of ["Merge B into A (keep A)", "Merge A into B (keep B)", "Not the same person", `MergeA9${u}`, `MergeB9${u}`]) expect(page.html).toContain(words);

    const merged = await decide(`?a=${a.id}&b=${b.id}`, "merge-a-into-b");
    expect(merged.status).toBe(302);
    const mergeId = (await prisma.personMerge.findFirstOrThrow({ where: { mergedId: a.id } })).id;
    expect(merged.headers.get("Location")).toBe(`/people/merges/${mergeId}`);
    expect((await get(a.id)).mergedIntoId).toBe(b.id);
    // A second click, from a page opened before the merge: refused in words, nothing more written.
    const again = await decide(`?a=${a.id}&b=${b.id}`, "merge-b-into-a");
    expect(again.status).toBe(400);
    expect(errorsOf(again.data).form).toMatch(/was itself merged into another record|is already merged/);
    const after = (await renderPage("/people/duplicates/compare", comparePage, makeRequest(`/people/duplicates/compare?a=${a.id}&b=${b.id}`, { cookie: admin.cookie }))).html;
    expect(after).toContain("merged into another record already");
    expect(after).not.toContain("Merge B into A");

    // The survivor's page lists the merge with its undo; the merged record's page links to it too.
    const survivorPage = await renderPage("/people/:personId", personPage, makeRequest(`/people/${b.id}`, { cookie: admin.cookie }));
    expect(survivorPage.html).toContain(`href="/people/merges/${mergeId}"`);
    expect(survivorPage.html.replaceAll("<!-- -->", "")).toMatch(/merged .+ into .+, keeping every record/);
    const mergedPage = await renderPage("/people/:personId", personPage, makeRequest(`/people/${a.id}`, { cookie: admin.cookie }));
    expect(mergedPage.html).toContain("See or undo the merge");

    const undo = (intent: string) => call(() => mergePage.action({ request: makeRequest(`/people/merges/${mergeId}`, { method: "POST", cookie: admin.cookie, form: { intent } }), params: { mergeId }, context: {} }));
    expect((await undo("undo")).status).toBe(302);
    expect((await get(a.id)).mergedIntoId).toBeNull();
    const twice = await undo("undo");
    expect(twice.status).toBe(400);
    expect(errorsOf(twice.data).form).toBe("This merge was undone already.");
    const shown = await renderPage("/people/merges/:mergeId", mergePage, makeRequest(`/people/merges/${mergeId}`, { cookie: admin.cookie }));
    expect(shown.html.replaceAll("<!-- -->", "")).toContain("the two records are separate again");
    expect(shown.html).not.toContain("Undo this merge");
  });

  it("“Not the same person” records the pair in id order", async () => {
    const [a, b] = [await person("A10"), await person("B10")];
    expect((await decide(`?a=${b.id}&b=${a.id}`, "dismiss")).status).toBe(302);
    const [first, second] = [a.id, b.id].sort();
    expect(await prisma.duplicateDismissal.count({ where: { personAId: first, personBId: second } })).toBe(1);
    expect((await decide(`?a=${a.id}&b=${b.id}`, "dismiss")).status).toBe(302);
    expect(await prisma.duplicateDismissal.count({ where: { personAId: first, personBId: second } })).toBe(1);
  });

  it("are for administrators only", async () => {
    const [a, b] = [await person("A11"), await person("B11")];
    const { mergeId } = await mergePeople({ survivorId: a.id, mergedId: b.id, actorId: admin.user.id });
    const q = `?a=${a.id}&b=${b.id}`;
    await expectAdminOnly([
      { name: "compare", path: `/people/duplicates/compare${q}`, fn: comparePage.loader },
      { name: "compare merge", path: `/people/duplicates/compare${q}`, fn: comparePage.action, method: "POST", form: { intent: "merge-a-into-b" } },
      { name: "compare dismiss", path: `/people/duplicates/compare${q}`, fn: comparePage.action, method: "POST", form: { intent: "dismiss" } },
      { name: "merge page", path: `/people/merges/${mergeId}`, fn: mergePage.loader, params: { mergeId } },
      { name: "undo", path: `/people/merges/${mergeId}`, fn: mergePage.action, params: { mergeId }, method: "POST", form: { intent: "undo" } },
    ]);
    expect((await get(b.id)).mergedIntoId).toBe(a.id);
    expect(await prisma.duplicateDismissal.count({ where: { OR: [{ personAId: a.id }, { personBId: a.id }] } })).toBe(0);
  });
});

describe("reach follows the merge", () => {
  it("two records of one staff member at a school, each with a current certificate, count 2 before the merge, 1 after, 2 again after undo", async () => {
    const year = schoolYearOf(new Date());
    const school = await createSchool(prisma, { name: `Merge Reach School ${u}` });
    const program = await createProgram(prisma, { preset: "YMHFA" });
    const issuedOn = new Date(Date.now() - 30 * 24 * 3600_000);
    const records = [];
    for (const key of ["R1", "R2"]) {
      const p = await person(key, { kind: "STAFF", affiliations: [{ schoolId: school.id, schoolYear: year }] });
      await issueCertification(prisma, { personId: p.id, programId: program.id, issuedOn });
      records.push(p);
    }
    const session = await createSession(prisma, { programId: program.id, schoolId: school.id });
    await enroll(prisma, { sessionId: session.id, personId: records[1].id });

    const staffCurrent = async () => {
      const res = await call(() => schoolReach.loader({ request: makeRequest(`/lead/schools/${school.id}?program=${program.code}`, { cookie: lead.cookie }), params: { schoolId: school.id }, context: {} }));
      expect(res.status).toBe(200);
      const d = res.data;
      if (!d || typeof d !== "object" || !("selected" in d) || !d.selected || typeof d.selected !== "object" || !("staffCurrent" in d.selected)) throw new Error("no figures");
      return d.selected.staffCurrent;
    };
    expect(await staffCurrent()).toBe(2);
    const { mergeId } = await mergePeople({ survivorId: records[0].id, mergedId: records[1].id, actorId: admin.user.id });
    expect(await staffCurrent()).toBe(1);
    await undoMerge({ mergeId, actorId: admin.user.id });
    expect(await staffCurrent()).toBe(2);
  });
});
