/**
 * The seed's one piece of raw SQL: multi-row INSERTs for the large tables of the demo district.
 *
 * Why: Prisma's createMany spends about 250 µs per row in the client (measured: 60,000 affiliations
 * take 13 s), and the demo district is over 100,000 rows, which would make `npm start` slow. The
 * same rows as parameterised multi-row INSERT statements through the same client and transaction
 * take a fraction of that. Rows are still typed as Prisma's CreateManyInput, and dates go through
 * the driver adapter's own conversion, so they are stored exactly as Prisma stores them. The statement
 * is built with Prisma.sql, so each engine gets its own placeholders (`?` on SQLite, `$1` on PostgreSQL).
 */
import { Prisma } from "~/generated/prisma/client";

type BulkTables = {
  Person: Prisma.PersonCreateManyInput;
  Affiliation: Prisma.AffiliationCreateManyInput;
  Enrollment: Prisma.EnrollmentCreateManyInput;
  Attendance: Prisma.AttendanceCreateManyInput;
  Certification: Prisma.CertificationCreateManyInput;
};

/**
 * The columns written for each table. Every column with a database default is listed, so that no
 * value comes from one (SQLite's CURRENT_TIMESTAMP is not the date format Prisma writes); nullable
 * columns the seed never fills (a person's merge and reminder opt-out) are left to be NULL.
 */
const COLUMNS: { [T in keyof BulkTables]: ReadonlyArray<keyof BulkTables[T] & string> } = {
  Person: ["id", "districtId", "firstName", "lastName", "email", "kind", "createdAt", "updatedAt"],
  Affiliation: ["id", "personId", "schoolId", "schoolYear", "title"],
  Enrollment: ["id", "sessionId", "personId", "postWorkCompletedOn", "evaluationCompletedOn", "createdAt"],
  Attendance: ["id", "enrollmentId", "sessionDayId", "status", "method", "recordedAt"],
  Certification: ["id", "personId", "programId", "sessionId", "issuedOn", "expiresOn", "verificationCode", "renewedById", "createdAt"],
};

/** SQLite allows 32,766 bound parameters a statement (PostgreSQL 65,535); stay well inside both. */
const MAX_PARAMETERS = 30_000;

type RawExecutor = Pick<Prisma.TransactionClient, "$executeRaw">;

/**
 * Inserts the rows in order, in statements of as many rows as the parameter limit allows.
 * Every row must give every column in COLUMNS (id and timestamps included); undefined is written as NULL.
 */
export async function insertRows<T extends keyof BulkTables>(db: RawExecutor, table: T, rows: ReadonlyArray<BulkTables[T]>) {
  const columns = COLUMNS[table];
  const perStatement = Math.floor(MAX_PARAMETERS / columns.length);
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `);
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = chunk.map((row) => Prisma.sql`(${Prisma.join(columns.map((column) => row[column] ?? null))})`);
    await db.$executeRaw`${head}${Prisma.join(values)}`;
  }
}
