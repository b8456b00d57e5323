import fs from "node:fs";

/** An environment variable first, then Debian's Chromium; undefined lets Playwright use its own. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p): p is string => Boolean(p) && fs.existsSync(p as string));
}
