import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "~/env.server";

// One client for the process; kept on globalThis so dev reloads do not open new ones.
const globalForPrisma = globalThis as unknown as { __prisma?: PrismaClient };

export function createPrismaClient(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
}

export const prisma: PrismaClient = (globalForPrisma.__prisma ??= createPrismaClient(getEnv().DATABASE_URL));
