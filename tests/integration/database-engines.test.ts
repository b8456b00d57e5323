import { describe, expect, it } from "vitest";
import { prisma, unique } from "./helpers";
import { engineOf, redactUrl } from "~/db/engine";
import { enumValue, isPostgres, jsonList, jsonTable, likeIgnoringCase, lockForTransaction } from "~/db/dialect.server";
import { postgresAdapter } from "~/db/postgres-adapter.server";
import { Prisma } from "~/generated/prisma/client";
import { parseEnv } from "~/env.server";

// Runs on both engines (scripts/test.sh runs the suite on SQLite, then on PostgreSQL).
const url = process.env.DATABASE_URL ?? "";

describe("choosing the engine by DATABASE_URL", () => {
  it("file: is SQLite, postgres:// and postgresql:// are PostgreSQL, anything else is refused naming the variable", () => {
    expect(engineOf("file:./data/app.db")).toBe("sqlite");
    expect(engineOf("postgresql://u:p@db:5432/mhfa")).toBe("postgresql");
    expect(engineOf("postgres://db/mhfa")).toBe("postgresql");
    expect(() => engineOf("mysql://u:secret@db/mhfa")).toThrow(/DATABASE_URL must be .*got "mysql:\/\/u:\*\*\*@db\/mhfa"/);
    expect(redactUrl("postgresql://app:s3cret@db:5432/x")).toBe("postgresql://app:***@db:5432/x");
  });

  it("the environment accepts a PostgreSQL URL, and in production there requires SESSION_SECRET (no secret file beside a server)", () => {
    const pg = "postgresql://app:pw@db:5432/mhfa";
    expect(parseEnv({ DATABASE_URL: pg, NODE_ENV: "development" }).DATABASE_URL).toBe(pg);
    expect(() => parseEnv({ DATABASE_URL: pg, NODE_ENV: "production" })).toThrow(/SESSION_SECRET: required on PostgreSQL/);
    expect(parseEnv({ DATABASE_URL: pg, NODE_ENV: "production", SESSION_SECRET: "0123456789abcdef0123" }).sessionSecrets).toHaveLength(1);
    expect(() => parseEnv({ DATABASE_URL: "mysql://db/x" })).toThrow(/DATABASE_URL: must be a SQLite file URL .* or a PostgreSQL URL/);
    expect(parseEnv({ DATABASE_URL: pg, DATABASE_POOL_SIZE: "25" }).DATABASE_POOL_SIZE).toBe(25);
    expect(() => parseEnv({ DATABASE_URL: pg, DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE/);
  });
});

describe("the dialect: one SQL for both engines", () => {
  it("jsonTable unpacks many rows from one bound value, each column with its table's type", async () => {
    const when = new Date("2026-03-02T08:30:00.000Z");
    const rows = [
      { id: "a", n: 3, on: true, at: when, kind: "STAFF" },
      { id: "b's \"quoted\"", n: -1, on: false, at: when, kind: "STUDENT" },
    ];
    const got = await prisma.$queryRaw<Array<{ id: string; n: number | bigint; on: boolean | number; at: Date | string; kind: string }>>`
      SELECT v."id", v."n" + 1 AS "n", v."on", v."at", v."kind" FROM ${jsonTable(rows, { id: "text", n: "integer", on: "boolean", at: "timestamp", kind: { enum: "PersonKind" } })} AS v
      ORDER BY v."id"`;
    expect(got.map((r) => [r.id, Number(r.n), Boolean(r.on), r.kind])).toEqual([
      ["a", 4, true, "STAFF"],
      ["b's \"quoted\"", 0, false, "STUDENT"],
    ]);
    expect(new Date(got[0].at).getTime()).toBe(when.getTime());
  });

  it("a timestamp from jsonTable compares equal to the same instant written by Prisma", async () => {
    const issuedOn = new Date("2025-09-01T00:00:00.000Z");
    const person = await prisma.person.create({ data: { firstName: "Dia", lastName: unique("Lect"), kind: "STAFF" } });
    const program = await prisma.program.create({ data: { code: unique("DL"), name: unique("Dialect "), audience: "ADULTS", validityMonths: 36 } });
    await prisma.certification.create({ data: { personId: person.id, programId: program.id, issuedOn, verificationCode: unique("dl") } });
    const matched = await prisma.$queryRaw<Array<{ personId: string }>>`
      SELECT c."personId" FROM "Certification" c JOIN ${jsonTable([{ personId: person.id, issuedOn }], { personId: "text", issuedOn: "timestamp" })} AS v
        ON v."personId" = c."personId" AND v."issuedOn" = c."issuedOn"`;
    expect(matched).toEqual([{ personId: person.id }]);
  });

  it("jsonList, likeIgnoringCase and enumValue", async () => {
    const lastName = unique("Ávila");
    const person = await prisma.person.create({ data: { firstName: "Ines", lastName, kind: "COMMUNITY" } });
    const byList = await prisma.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Person" WHERE "id" IN ${jsonList([person.id, "nobody"])}`;
    expect(byList).toEqual([{ id: person.id }]);
    const byName = await prisma.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Person" WHERE ${likeIgnoringCase(Prisma.sql`"firstName"`, "INES")} AND "lastName" = ${lastName}`;
    expect(byName).toEqual([{ id: person.id }]);
    const updated = await prisma.$executeRaw`UPDATE "Person" SET "kind" = CASE WHEN "id" = ${person.id} THEN ${enumValue("STAFF", "PersonKind")} ELSE "kind" END WHERE "id" = ${person.id}`;
    expect(updated).toBe(1);
    expect((await prisma.person.findUniqueOrThrow({ where: { id: person.id } })).kind).toBe("STAFF");
  });

  it("lockForTransaction makes a check-then-write atomic: 20 concurrent 'insert unless present' write one row", async () => {
    const email = `${unique("lock")}@example.test`;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        prisma.$transaction(async (tx) => {
          await lockForTransaction(tx, `test:${email}`);
          const existing = await tx.person.findFirst({ where: { email } });
          if (existing) return "found";
          await new Promise((resolve) => setTimeout(resolve, 5));
          await tx.person.create({ data: { firstName: "Lock", lastName: "Step", kind: "STAFF", email } });
          return "created";
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled" && r.value === "created")).toHaveLength(1);
    expect(await prisma.person.count({ where: { email } })).toBe(1);
  });
});

describe.runIf(isPostgres())("on PostgreSQL: the adapter with our two workarounds, deadlock retries, the triggers", () => {
  it("a column of PostgreSQL's `name` type reads as text (prisma/orm#27403)", async () => {
    const [row] = await prisma.$queryRaw<Array<{ db: string; name: string }>>`SELECT current_database() AS "db", CAST('x' AS name) AS "name"`;
    expect(row.name).toBe("x");
    expect(url).toContain(`/${row.db}`);
  });

  it("a script with a PL/pgSQL body is sent whole, not split on its semicolons", async () => {
    const adapter = await postgresAdapter(url, { poolSize: 1 }).connect();
    const fn = unique("whole_script_fn").toLowerCase();
    try {
      await adapter.executeScript(`
        CREATE FUNCTION "${fn}"(n integer) RETURNS integer LANGUAGE plpgsql AS $$
        DECLARE doubled integer;
        BEGIN doubled := n * 2; RETURN doubled; END
        $$;
        CREATE TABLE "${fn}_t" (v integer);
        INSERT INTO "${fn}_t" VALUES ("${fn}"(21));`);
      const [row] = await prisma.$queryRawUnsafe<Array<{ v: number }>>(`SELECT v FROM "${fn}_t"`);
      expect(row.v).toBe(42);
    } finally {
      await adapter.executeScript(`DROP TABLE IF EXISTS "${fn}_t"; DROP FUNCTION IF EXISTS "${fn}"(integer);`);
      await adapter.dispose();
    }
  });

  it("two transactions that deadlock both commit: PostgreSQL aborts one (40P01) and it runs again", async () => {
    const [a, b] = await Promise.all([
      prisma.person.create({ data: { firstName: "Dead", lastName: unique("LockA"), kind: "STAFF" } }),
      prisma.person.create({ data: { firstName: "Dead", lastName: unique("LockB"), kind: "STAFF" } }),
    ]);
    let runs = 0;
    // Each holds one row and then wants the other's: the first run of one of them must lose.
    const barrier = { waiting: 0, release: () => {} };
    const bothHoldOne = new Promise<void>((resolve) => (barrier.release = resolve));
    const crossing = (first: string, second: string, name: string) =>
      prisma.$transaction(async (tx) => {
        runs += 1;
        await tx.person.update({ where: { id: first }, data: { firstName: name } });
        if (++barrier.waiting === 2) barrier.release();
        await Promise.race([bothHoldOne, new Promise((resolve) => setTimeout(resolve, 2000))]);
        await tx.person.update({ where: { id: second }, data: { firstName: name } });
      });
    await Promise.all([crossing(a.id, b.id, "One"), crossing(b.id, a.id, "Two")]);
    expect(runs).toBe(3);
    const names = (await prisma.person.findMany({ where: { id: { in: [a.id, b.id] } } })).map((p) => p.firstName);
    expect(new Set(names).size).toBe(1);
  });

  it("the migration's reach triggers exist in PL/pgSQL and queue the people a write touches", async () => {
    const triggers = await prisma.$queryRaw<Array<{ tgname: string }>>`SELECT "tgname" FROM "pg_trigger" WHERE NOT "tgisinternal" ORDER BY 1`;
    expect(triggers.map((t) => t.tgname)).toEqual(["ReachDirty_Affiliation", "ReachDirty_Certification", "ReachDirty_Person", "ReachDirty_School_region"]);
  });
});
