/**
 * The server the browser tests run against: the production build, on a throwaway database loaded
 * with the demo district: a SQLite file, or, when DATABASE_URL names a PostgreSQL server (the
 * suite's PostgreSQL run), a database created on it for this port. Stopped by Playwright when the run ends.
 *
 * Beside it, in this process: a real SMTP server that keeps every message as a .eml file under
 * tests/.tmp/e2e-<port>/mail/ (tests/e2e/mailbox.ts reads them), and a real OpenID provider
 * (tests/integration/oidc-test-provider.ts) whose sign-in form takes an employee ID.
 */
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { CLIENT_ID, CLIENT_SECRET, startTestProvider } from "../tests/integration/oidc-test-provider";
import { createDatabase, dropDatabases } from "../tests/setup/postgres-databases";
import { e2eDatabaseName, e2eDatabaseUrl } from "../tests/e2e/e2e-database";
import { engineOf } from "../app/db/engine";

const port = process.env.E2E_PORT ?? "3100";
// One folder per port, so two runs side by side (E2E_PORT=3101 …) never share a database.
const dir = path.resolve(`tests/.tmp/e2e-${port}`);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.join(dir, "mail"), { recursive: true });

let received = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      received += 1;
      // Written whole, then renamed: a reader never sees half a message.
      const file = path.join(dir, "mail", `${Date.now()}-${String(received).padStart(5, "0")}.eml`);
      fs.writeFileSync(`${file}.part`, Buffer.concat(chunks));
      fs.renameSync(`${file}.part`, file);
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
const smtpAddress: AddressInfo | string | null = smtp.server.address();
if (!smtpAddress || typeof smtpAddress === "string") throw new Error("the e2e SMTP server has no port");

const provider = await startTestProvider({
  redirectUri: `http://localhost:${port}/login/sso/callback`,
  loginForm: true,
  // Whoever signs in at the test provider is the employee with that ID, with a district address.
  anyAccount: (employeeId) => ({ employee_id: employeeId, email: `${employeeId.toLowerCase()}@sso.k12.example`, email_verified: true }),
});

async function throwawayDatabase(): Promise<string> {
  const url = e2eDatabaseUrl(port);
  if (engineOf(url) !== "postgresql") return url;
  const server = process.env.DATABASE_URL ?? "";
  await dropDatabases(server, e2eDatabaseName(port));
  await createDatabase(server, e2eDatabaseName(port));
  return url;
}

const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: await throwawayDatabase(),
  SESSION_SECRET: "e2e-secret-0123456789abcdef",
  // Plain http on localhost in the tests.
  SECURE_COOKIES: "false",
  PORT: port,
  // Links in QR codes, PDFs and calendar feeds name the app's public address, which here is this port.
  PUBLIC_BASE_URL: `http://localhost:${port}`,
  NODE_ENV: "production",
  SMTP_URL: `smtp://127.0.0.1:${smtpAddress.port}`,
  OIDC_ISSUER: provider.issuer,
  OIDC_CLIENT_ID: CLIENT_ID,
  OIDC_CLIENT_SECRET: CLIENT_SECRET,
  OIDC_EMPLOYEE_ID_CLAIM: "employee_id",
  OIDC_PROVIDER_NAME: "Test District",
};

execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], { env, stdio: "inherit" });
execFileSync(process.execPath, ["--import", "tsx", "scripts/seed-demo.ts"], { env, stdio: "inherit" });

// The same server as `npm start` (REMIX_BUILD_DIR, when set, picks the build it serves).
const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], { env, stdio: "inherit" });
const stop = () => {
  server.kill("SIGTERM");
  smtp.close();
  void provider.close();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => process.exit(code ?? 0));
