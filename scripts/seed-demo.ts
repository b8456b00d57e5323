/** Loads the demo district into the (migrated, empty) database at DATABASE_URL. */
import { createPrismaClient } from "~/db.server";
import { getEnv } from "~/env.server";
import { seedDemoDistrict } from "../prisma/seed/demo-district";

const prisma = createPrismaClient(getEnv().DATABASE_URL);
await seedDemoDistrict(prisma, { log: () => {} });
await prisma.$disconnect();
