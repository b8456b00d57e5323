import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const TMP_DIR = path.resolve("tests/.tmp");
export const TEMPLATE_DB = path.join(TMP_DIR, "template.db");

/** Migrates one template database; each worker copies it instead of migrating again. */
export default function setup() {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  for (const file of fs.readdirSync(TMP_DIR)) {
    if (file.startsWith("worker-") || file.startsWith("template")) fs.rmSync(path.join(TMP_DIR, file), { force: true });
  }
  execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${TEMPLATE_DB}` },
    stdio: "pipe",
  });
}
