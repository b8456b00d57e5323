/** Loads the demo district into the (migrated, empty) database at DATABASE_URL, with its reach rollup built. */
import { createPrismaClient } from "~/db.server";
import { getEnv } from "~/env.server";
import { seedDemoDistrict } from "../prisma/seed/demo-district";

const prisma = createPrismaClient(getEnv().DATABASE_URL);
await seedDemoDistrict(prisma, { log: () => {} });
await prisma.$disconnect();
// As `npm start` does after seeding (scripts/lib/db-setup.ts): built now, so the first reach page finds the
// figures ready instead of starting the rebuild in the background and answering "being prepared".
const { rebuildReachRollups } = await import("~/models/reach-rollup.server");
const app = await import("~/db.server");
await rebuildReachRollups();
await app.prisma.$disconnect();
