/**
 * Serves the production build (`npm start`, and the browser tests' server): app/http/app.server.ts.
 * PORT (default 3000) and HOST as remix-serve read them; REMIX_BUILD_DIR picks the build (default build/).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { getEnv } from "~/env.server";
import { createApp, createHttpServer } from "~/http/app.server";

process.env.NODE_ENV ??= "production";
const env = getEnv();
const buildDir = path.resolve(process.env.REMIX_BUILD_DIR ?? "build");
const build: ServerBuild = await import(pathToFileURL(path.join(buildDir, "server/index.js")).href);

const limits = { formBytes: env.MAX_FORM_BYTES, uploadBytes: env.MAX_UPLOAD_BYTES, directoryUploadBytes: env.MAX_DIRECTORY_UPLOAD_BYTES };
const app = createApp({
  build,
  clientDir: path.join(buildDir, "client"),
  limits,
  publicBaseUrl: env.PUBLIC_BASE_URL,
  mode: env.NODE_ENV,
  log: true,
});
const server = createHttpServer(app, limits);
const port = Number(process.env.PORT ?? 3000);
const onListen = () => console.log(`[server] http://localhost:${port}`);
if (process.env.HOST) server.listen(port, process.env.HOST, onListen);
else server.listen(port, onListen);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
