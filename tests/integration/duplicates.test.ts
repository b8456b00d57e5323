/**
 * The duplicates queue (/people/duplicates): likely pairs of live records (same name and email;
 * same name with district IDs one typo apart), dismissed pairs left out, paged with counts; and
 * deciding directory imports' rows held for review, once, atomically.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { errorsOf, expectAdminOnly } from "./admin-route-helpers";
import { renderPage } from "./page-render";
import { createPerson, createSchool } from "../../prisma/seed/factories";
import { schoolYearOf } from "~/domain/school-year";
import { dismissPair, PAIRS_PER_PAGE } from "~/models/duplicates.server";
import { decideHeldRow, ReviewRefused } from "~/models/directory-review.server";
import { mergePeople } from "~/models/person-merge.server";
import { isPostgres } from "~/db/dialect.server";
import * as queuePage from "~/routes/people.duplicates._index";
import * as comparePage from "~/routes/people.duplicates.compare";
import * as peoplePage from "~/routes/people._index";

let admin: Awaited<ReturnType<typeof signIn>>;
let u: string;

type Queue = {
  ok: true; counts: { pairs: number; sameEmail: number; idTypo: number; heldRows: number }; page: number; pageCount: number;
  pairs: Array<{ a: { id: string }; b: { id: string }; reasons: string[] }>; rows: Array<{ id: string }>;
};
function isQueue(v: unknown): v is Queue {
  return typeof v === "object" && v !== null && "ok" in v && v.ok === true && "counts" in v;
}

async function queue(query = "") {
  const res = await call(() => queuePage.loader({ request: makeRequest(`/people/duplicates${query}`, { cookie: admin.cookie }), params: {}, context: {} }));
  if (!isQueue(res.data)) throw new Error(`not a queue: ${res.status} ${JSON.stringify(res.data)}`);
  return res.data;
}

/** Every pair on every page, as "a|b" with the ids in order. */
async function allPairs(show = "people") {
  const first = await queue(`?show=${show}`);
  const pairs = [...first.pairs];
  for (let page = 2; page <= first.pageCount; page += 1) pairs.push(...(await queue(`?show=${show}&page=${page}`)).pairs);
  return new Map(pairs.map((p) => [[p.a.id, p.b.id].sort().join("|"), p.reasons]));
}
const key = (x: { id: string }, y: { id: string }) => [x.id, y.id].sort().join("|");

beforeAll(async () => {
  u = unique("dq");
  admin = await signIn("ADMIN");
});

describe("the queue of likely pairs", () => {
  it("offers the same name and email (letter case and accents aside), and the same name with district IDs one typo apart", async () => {
    const before = await queue();
    const emailA = await createPerson(prisma, { firstName: "Dana", lastName: `Email${u}`, email: `dana-${u}@x.org`, districtId: null, kind: "COMMUNITY" });
    // Letter case and accents aside: "DÁNA" and "Dana", an address typed in capitals.
    const emailB = await createPerson(prisma, { firstName: "DÁNA", lastName: `EMAIL${u}`.toUpperCase(), email: `DANA-${u}@X.ORG`.toUpperCase(), districtId: `E-${u}` });
    const typoA = await createPerson(prisma, { firstName: "Toby", lastName: `Typo${u}`, districtId: `T${u}12`, email: null });
    const typoB = await createPerson(prisma, { firstName: "Toby", lastName: `Typo${u}`, districtId: `T${u}21`, email: null });
    // Not offered: another name under the same email; namesakes with IDs far apart; a record already merged.
    const otherName = await createPerson(prisma, { firstName: "Kim", lastName: `Email${u}`, email: `dana-${u}@x.org` });
    const farA = await createPerson(prisma, { firstName: "Far", lastName: `Apart${u}`, districtId: `F${u}1234` });
    const farB = await createPerson(prisma, { firstName: "Far", lastName: `Apart${u}`, districtId: `F${u}9876` });
    const mergedA = await createPerson(prisma, { firstName: "Merged", lastName: `Pair${u}`, email: `m-${u}@x.org` });
    const mergedB = await createPerson(prisma, { firstName: "Merged", lastName: `Pair${u}`, email: `m-${u}@x.org` });
    await mergePeople({ survivorId: mergedA.id, mergedId: mergedB.id, actorId: admin.user.id });

    const pairs = await allPairs();
    expect(pairs.get(key(emailA, emailB))).toEqual(["same-email"]);
    expect(pairs.get(key(typoA, typoB))).toEqual(["id-typo"]);
    for (const [x, y] of [[emailA, otherName], [emailB, otherName], [farA, farB], [mergedA, mergedB]]) expect(pairs.has(key(x, y))).toBe(false);
    const after = await queue();
    expect(after.counts.pairs - before.counts.pairs).toBe(2);
    expect(after.counts.sameEmail - before.counts.sameEmail).toBe(1);
    expect(after.counts.idTypo - before.counts.idTypo).toBe(1);
  });

  it("does not offer a pair someone said are different people", async () => {
    const a = await createPerson(prisma, { firstName: "Lee", lastName: `Dismissed${u}`, email: `lee-${u}@x.org` });
    const b = await createPerson(prisma, { firstName: "Lee", lastName: `Dismissed${u}`, email: `lee-${u}@x.org` });
    expect((await allPairs()).has(key(a, b))).toBe(true);
    await dismissPair(b.id, a.id, admin.user.id);
    expect((await allPairs()).has(key(a, b))).toBe(false);
  });

  it("pages the pairs, 25 a page, with the counts on every page", async () => {
    for (let i = 0; i < PAIRS_PER_PAGE + 1; i += 1) {
      for (let j = 0; j < 2; j += 1) await createPerson(prisma, { firstName: "Page", lastName: `Many${i}${u}`, email: `many-${i}-${u}@x.org` });
    }
    const first = await queue();
    expect(first.pairs).toHaveLength(PAIRS_PER_PAGE);
    expect(first.pageCount).toBe(Math.ceil(first.counts.pairs / PAIRS_PER_PAGE));
    expect(first.pageCount).toBeGreaterThanOrEqual(2);
    const second = await queue("?page=2");
    expect(second.page).toBe(2);
    expect(second.counts).toEqual(first.counts);
    expect(second.pairs.map((p) => p.a.id)).not.toContain(first.pairs[0].a.id);
    const html = (await renderPage("/people/duplicates", queuePage, makeRequest("/people/duplicates", { cookie: admin.cookie }))).html.replaceAll("<!-- -->", "");
    expect(html).toContain(`Pairs of records (${first.counts.pairs.toLocaleString("en-US")})`);
    expect(html).toContain("Next page");
  });

  it("a bad query string is a 400 naming the field", async () => {
    const res = await call(() => queuePage.loader({ request: makeRequest("/people/duplicates?show=everything&page=0", { cookie: admin.cookie }), params: {}, context: {} }));
    expect(res.status).toBe(400);
    expect(errorsOf(res.data)).toEqual({ show: "Show: choose people or imports", page: "Page must be 1 or more" });
  });

  it("is for administrators only, and only they get the link from /people", async () => {
    await expectAdminOnly([{ name: "duplicates queue", path: "/people/duplicates", fn: queuePage.loader }]);
    const people = async (cookie: string) => (await renderPage("/people", peoplePage, makeRequest("/people", { cookie }))).html;
    expect(await people(admin.cookie)).toContain('href="/people/duplicates"');
    expect(await people((await signIn("PROGRAM_LEAD")).cookie)).not.toContain("/people/duplicates");
  });
});

describe("imports' rows held for review", () => {
  const year = schoolYearOf(new Date());
  let school: { id: string };
  let n = 0;

  beforeAll(async () => {
    school = await createSchool(prisma, { name: `Review School ${u}` });
  });

  async function heldRow(row: { districtId: string | null; firstName: string; lastName: string; email?: string | null; personId: string; status?: "COMMITTED" | "READY" }) {
    n += 1;
    const imp = await prisma.directoryImport.create({
      data: { format: "staff-csv", schoolYear: year, fileNames: "staff.csv", status: row.status ?? "COMMITTED", createdById: admin.user.id },
    });
    return prisma.directoryImportRow.create({
      data: {
        id: `row-${u}-${n}`, importId: imp.id, file: "staff.csv", line: n + 1, outcome: "REVIEW", reviewState: "OPEN", reason: "Held for the test",
        districtId: row.districtId, firstName: row.firstName, lastName: row.lastName, email: row.email ?? null, kind: "STAFF", personId: row.personId,
        memberships: JSON.stringify([{ schoolId: school.id, title: "Counselor" }]),
      },
    });
  }
  const decideOnPage = (rowId: string, intent: string) =>
    call(() => comparePage.action({ request: makeRequest(`/people/duplicates/compare?row=${rowId}`, { method: "POST", cookie: admin.cookie, form: { intent } }), params: {}, context: {} }));

  it("are listed with the record they were held against, only for committed imports", async () => {
    const p = await createPerson(prisma, { firstName: "Held", lastName: `Listed${u}`, districtId: `H-${u}` });
    const committed = await heldRow({ districtId: `H-${u}`, firstName: "Other", lastName: `Name${u}`, personId: p.id });
    const preview = await heldRow({ districtId: `H-${u}`, firstName: "Other", lastName: `Name${u}`, personId: p.id, status: "READY" });
    const first = await queue("?show=imports");
    const ids: string[] = [];
    for (let page = 1; page <= first.pageCount; page += 1) ids.push(...(await queue(`?show=imports&page=${page}`)).rows.map((r) => r.id));
    expect(ids).toContain(committed.id);
    expect(ids).not.toContain(preview.id);
    await expect(decideHeldRow({ rowId: preview.id, decision: "same", actorId: admin.user.id })).rejects.toThrow(/has not been committed/);
  });

  it("“same person” writes the file's details and memberships; a double submit writes once", async () => {
    const p = await createPerson(prisma, { firstName: "Partner", lastName: `Suggested${u}`, districtId: null, email: `ps-${u}@x.org`, kind: "COMMUNITY" });
    const row = await heldRow({ districtId: `NEW-${u}`, firstName: "Partner", lastName: `Suggested${u}`, email: `ps-${u}@x.org`, personId: p.id });
    const results = await Promise.allSettled([decideOnPage(row.id, "accept-row"), decideOnPage(row.id, "accept-row")]);
    const statuses = results.map((r) => (r.status === "fulfilled" ? r.value.status : 500)).sort();
    expect(statuses).toEqual([302, 400]);
    expect(await prisma.person.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ districtId: `NEW-${u}`, kind: "STAFF", email: `ps-${u}@x.org` });
    expect(await prisma.affiliation.findMany({ where: { personId: p.id }, select: { schoolId: true, schoolYear: true, title: true } }))
      .toEqual([{ schoolId: school.id, schoolYear: year, title: "Counselor" }]);
    expect((await prisma.directoryImportRow.findUniqueOrThrow({ where: { id: row.id } })).reviewState).toBe("ACCEPTED");
    expect(await prisma.auditEvent.count({ where: { entityType: "Person", entityId: p.id, action: "person.update" } })).toBe(1);
    await expect(decideHeldRow({ rowId: row.id, decision: "different", actorId: admin.user.id })).rejects.toThrow(ReviewRefused);
  });

  it("“not the same person” for an ID held by the record leaves the row unwritten", async () => {
    const p = await createPerson(prisma, { firstName: "Real", lastName: `Holder${u}`, districtId: `CLASH-${u}` });
    const row = await heldRow({ districtId: `CLASH-${u}`, firstName: "Typo", lastName: `Someone${u}`, personId: p.id });
    const peopleBefore = await prisma.person.count();
    const res = await decideOnPage(row.id, "reject-row");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/people/duplicates?show=imports");
    expect((await prisma.directoryImportRow.findUniqueOrThrow({ where: { id: row.id } })).reviewState).toBe("REJECTED");
    expect(await prisma.person.count()).toBe(peopleBefore);
    expect(await prisma.person.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ firstName: "Real", lastName: `Holder${u}` });
    expect(await prisma.affiliation.count({ where: { personId: p.id } })).toBe(0);
  });

  it("“not the same person” for a name + email suggestion makes the row a new person with its memberships", async () => {
    const p = await createPerson(prisma, { firstName: "Sam", lastName: `Lookalike${u}`, districtId: null, email: `sam-${u}@x.org`, kind: "COMMUNITY" });
    const row = await heldRow({ districtId: `SAM-${u}`, firstName: "Sam", lastName: `Lookalike${u}`, email: `sam-${u}@x.org`, personId: p.id });
    const res = await decideOnPage(row.id, "reject-row");
    const created = await prisma.person.findUniqueOrThrow({ where: { districtId: `SAM-${u}` }, include: { affiliations: true } });
    expect(res.headers.get("Location")).toBe(`/people/${created.id}`);
    expect(created).toMatchObject({ firstName: "Sam", lastName: `Lookalike${u}`, kind: "STAFF" });
    expect(created.affiliations.map((a) => [a.schoolId, a.schoolYear, a.title])).toEqual([[school.id, year, "Counselor"]]);
    expect(await prisma.directoryImportRow.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ reviewState: "ACCEPTED", personId: created.id });
    expect((await prisma.person.findUniqueOrThrow({ where: { id: p.id } })).districtId).toBeNull();
  });

  it("two rows with one new district ID, both “not the same person” at once, make one person: the second finds the ID taken", async () => {
    // On PostgreSQL the two decisions run side by side, as from two app instances; both would find nobody holding the ID.
    const rows = [];
    for (const first of ["Twin", "Other"]) {
      const p = await createPerson(prisma, { firstName: first, lastName: `Twin${u}`, districtId: null, email: `${first}-${u}@x.org`, kind: "COMMUNITY" });
      rows.push(await heldRow({ districtId: `TWIN-${u}`, firstName: first, lastName: `Twin${u}`, email: `${first}-${u}@x.org`, personId: p.id }));
    }
    const peopleBefore = await prisma.person.count();
    const results = await Promise.allSettled(rows.map((row) => decideOnPage(row.id, "reject-row")));
    expect(results.map((r) => (r.status === "fulfilled" ? r.value.status : String(r.reason)))).toEqual([302, 302]);
    const holder = await prisma.person.findUniqueOrThrow({ where: { districtId: `TWIN-${u}` } });
    expect(await prisma.person.count()).toBe(peopleBefore + 1);
    const decided = await prisma.directoryImportRow.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { reviewState: true, personId: true } });
    // The first became the new person; the second, decided after it, is an ID clash and leaves nothing written.
    const accepted = decided.filter((r) => r.reviewState === "ACCEPTED");
    expect(accepted).toEqual([{ reviewState: "ACCEPTED", personId: holder.id }]);
    expect(decided.filter((r) => r.reviewState === "REJECTED")).toHaveLength(1);
    expect(await prisma.affiliation.count({ where: { personId: holder.id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "person.create", entityId: holder.id } })).toBe(1);
  });

  // SQLite runs one write transaction at a time, so another writer cannot land between the check and the write there.
  it.runIf(isPostgres())("an ID another writer gives away mid-decision is refused in words, and the row stays open", async () => {
    const p = await createPerson(prisma, { firstName: "Mid", lastName: `Decision${u}`, districtId: null, email: `mid-${u}@x.org`, kind: "COMMUNITY" });
    const row = await heldRow({ districtId: `MID-${u}`, firstName: "Mid", lastName: `Decision${u}`, email: `mid-${u}@x.org`, personId: p.id });
    // A writer that takes no district ID lock (a person's edit, say) has written the ID and not yet committed.
    let commit = () => {};
    let written = () => {};
    const wrote = new Promise<void>((resolve) => { written = resolve; });
    const other = prisma.$transaction(async (tx) => {
      const taker = await createPerson(tx, { firstName: "Quick", lastName: `Taker${u}`, districtId: `MID-${u}` });
      written();
      await new Promise<void>((resolve) => { commit = resolve; });
      return taker;
    });
    await wrote;
    const decision = decideOnPage(row.id, "reject-row");
    // The decision found nobody holding the ID and now waits on the other's row in the unique index.
    for (let waited = 0; ; waited += 20) {
      const [{ waiting }] = await prisma.$queryRaw<Array<{ waiting: bigint }>>`
        SELECT COUNT(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      if (Number(waiting) > 0) break;
      if (waited > 5000) throw new Error("the decision never waited on the other writer");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    commit();
    const taker = await other;
    const res = await decision;
    expect(res.status).toBe(400);
    expect(errorsOf(res.data)).toMatchObject({ form: `District ID MID-${u} was just given to another record; nothing was written. Open the row again to decide it.` });
    expect(await prisma.directoryImportRow.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ reviewState: "OPEN", personId: p.id });
    expect((await prisma.person.findUniqueOrThrow({ where: { districtId: `MID-${u}` } })).id).toBe(taker.id);
    expect(await prisma.auditEvent.count({ where: { action: "person.create", details: { contains: row.id } } })).toBe(0);
  });

  it("the compare page shows the file's row beside the record, and its buttons only while open", async () => {
    const p = await createPerson(prisma, { firstName: "Page", lastName: `Shown${u}`, districtId: `PS-${u}` });
    const row = await heldRow({ districtId: `PS-${u}`, firstName: "Paige", lastName: `Elsewise${u}`, personId: p.id });
    const render = async () => (await renderPage("/people/duplicates/compare", comparePage, makeRequest(`/people/duplicates/compare?row=${row.id}`, { cookie: admin.cookie }))).html.replaceAll("<!-- -->", "");
    const open = await render();
    for (const words of [`Elsewise${u}`, `Shown${u}`, "Held for the test", "Same person: apply the file", "leaves the row unwritten"]) expect(open).toContain(words);
    await decideHeldRow({ rowId: row.id, decision: "different", actorId: admin.user.id });
    expect(await render()).toContain("This row was decided already");
    await expectAdminOnly([{ name: "decide row", path: `/people/duplicates/compare?row=${row.id}`, fn: comparePage.action, method: "POST", form: { intent: "accept-row" } }]);
  });
});
