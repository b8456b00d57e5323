/**
 * The administrator's home (/admin): its counts are the database's, exactly. People by kind leave
 * merged records out whatever their kind (students are counted as the rest of the directory, so a
 * merged student or a new staff member must not shift them).
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { createPerson, createProgram, issueCertification } from "../../prisma/seed/factories";
import * as adminHome from "~/routes/admin._index";

const Overview = z.object({
  people: z.array(z.object({ kind: z.enum(["STAFF", "STUDENT", "COMMUNITY"]), count: z.number() })),
  peopleTotal: z.number(),
  sessions: z.number(),
  certifications: z.number(),
});

async function open(cookie: string) {
  const res = await call(() => adminHome.loader({ request: makeRequest("/admin", { cookie }), params: {}, context: {} }));
  expect(res.status).toBe(200);
  return Overview.parse(res.data);
}

/** The same figures counted straight from the records. */
async function counted() {
  const byKind = await prisma.person.groupBy({ by: ["kind"], where: { mergedIntoId: null }, _count: { _all: true } });
  const people = (["STAFF", "STUDENT", "COMMUNITY"] as const).map((kind) => ({ kind, count: byKind.find((g) => g.kind === kind)?._count._all ?? 0 }));
  return {
    people,
    peopleTotal: people.reduce((sum, p) => sum + p.count, 0),
    sessions: await prisma.trainingSession.count(),
    certifications: await prisma.certification.count(),
  };
}

describe("admin home", () => {
  it("counts people by kind without merged records, sessions and certificates, as the records do", async () => {
    const { cookie } = await signIn("ADMIN");
    const before = await open(cookie);
    expect(before).toEqual(await counted());

    // One of each kind, and a merged duplicate of each: the duplicates count nowhere.
    const program = await createProgram(prisma);
    for (const kind of ["STAFF", "STUDENT", "COMMUNITY"] as const) {
      const survivor = await createPerson(prisma, { kind });
      await createPerson(prisma, { kind, mergedIntoId: survivor.id });
      await issueCertification(prisma, { personId: survivor.id, programId: program.id });
    }
    const after = await open(cookie);
    expect(after).toEqual(await counted());
    expect(after.people.map((p) => p.count)).toEqual(before.people.map((p) => p.count + 1));
    expect(after.peopleTotal).toBe(before.peopleTotal + 3);
    expect(after.certifications).toBe(before.certifications + 3);
  });
});
