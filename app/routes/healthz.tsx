import { prisma } from "~/db.server";

/** For load balancers and the test server: the app answers and the database is reachable. */
export async function loader() {
  await prisma.$queryRaw`SELECT 1`;
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
