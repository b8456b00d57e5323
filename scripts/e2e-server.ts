/**
 * The server the browser tests run against: the production build, on a throwaway SQLite
 * file loaded with the demo district. Stopped by Playwright when the run ends.
 */
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const port = process.env.E2E_PORT ?? "3100";
// One folder per port, so two runs side by side (E2E_PORT=3101 …) never share a database.
const dir = path.resolve(`tests/.tmp/e2e-${port}`);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: `file:${path.join(dir, "app.db")}`,
  SESSION_SECRET: "e2e-secret-0123456789abcdef",
  // Plain http on localhost in the tests.
  SECURE_COOKIES: "false",
  PORT: port,
  // Links in QR codes, PDFs and calendar feeds name the app's public address, which here is this port.
  PUBLIC_BASE_URL: `http://localhost:${port}`,
  NODE_ENV: "production",
};

execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], { env, stdio: "inherit" });
execFileSync(process.execPath, ["--import", "tsx", "scripts/seed-demo.ts"], { env, stdio: "inherit" });

// The same server as `npm start` (REMIX_BUILD_DIR, when set, picks the build it serves).
const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], { env, stdio: "inherit" });
const stop = () => server.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => process.exit(code ?? 0));
