/**
 * The messages the app sent during the browser tests, as the e2e server's SMTP server received them
 * (scripts/e2e-server.ts keeps each as a .eml file).
 */
import fs from "node:fs";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { expect } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const MAIL_DIR = path.resolve(`tests/.tmp/e2e-${PORT}/mail`);

async function all(): Promise<ParsedMail[]> {
  const files = fs.existsSync(MAIL_DIR) ? fs.readdirSync(MAIL_DIR).filter((f) => f.endsWith(".eml")).sort() : [];
  return Promise.all(files.map((f) => simpleParser(fs.readFileSync(path.join(MAIL_DIR, f)))));
}

const addressesOf = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((t) => t.value.map((v) => (v.address ?? "").toLowerCase()));

/** Messages to the address (optionally matching), waiting up to 10 s for at least `count` of them. */
export async function mailTo(address: string, { count = 1, subject }: { count?: number; subject?: RegExp } = {}): Promise<ParsedMail[]> {
  let found: ParsedMail[] = [];
  await expect
    .poll(async () => {
      found = (await all()).filter((m) => addressesOf(m).includes(address.toLowerCase()) && (!subject || subject.test(m.subject ?? "")));
      return found.length;
    }, { timeout: 10_000, message: `mail to ${address}` })
    .toBeGreaterThanOrEqual(count);
  return found;
}
