import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";
import { e2eDatabaseUrl } from "./e2e-database";
import { openReadOnly } from "../../scripts/lib/read-only-query";

/*
 * Issue 14, session evaluations, in the browser against the production build and the demo district:
 * Terry Trainer opens the evaluation of a held QPR class (Grade 7 at S002, waiting to be closed; no
 * other spec uses it), a participant on a phone-sized screen opens the link, switches to Spanish and
 * fills the form, and Terry sees the count, the averages and the comment. axe scans the form in both
 * languages and both summary pages.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const SHOTS = process.env.E2E_SCREENSHOTS;

async function heldClass() {
  const db = await openReadOnly(e2eDatabaseUrl(PORT));
  try {
    const [session] = await db.all<{ id: string }>(`
      SELECT s."id" FROM "TrainingSession" s
      JOIN "SessionTrainer" t ON t."sessionId" = s."id" AND t."role" = 'LEAD'
      JOIN "User" u ON u."id" = t."userId" AND u."email" = 'trainer@demo.k12.example'
      WHERE s."status" = 'SCHEDULED' AND s."title" LIKE 'QPR: Grade 7%'`);
    if (!session) throw new Error("no held Grade 7 QPR class in the demo district");
    const participants = await db.all<{ districtId: string }>(`
      SELECT p."districtId" FROM "Enrollment" e JOIN "Person" p ON p."id" = e."personId"
      WHERE e."sessionId" = $1 AND e."evaluationCompletedOn" IS NULL AND p."districtId" IS NOT NULL
      ORDER BY p."districtId" LIMIT 2`, [session.id]);
    if (participants.length < 2) throw new Error("no participants left to evaluate the class");
    return { sessionId: session.id, districtId: participants[0].districtId, secondDistrictId: participants[1].districtId };
  } finally {
    await db.close();
  }
}

test("a participant fills the evaluation on a phone, in Spanish, and the trainer sees the summary", async ({ page, browser }) => {
  // Two phones, a trainer and six axe scans: longer than the default on a shared machine.
  test.setTimeout(180_000);
  const { sessionId, districtId, secondDistrictId } = await heldClass();
  const comment = `Muy claro y práctico ${Date.now().toString(36)}`;

  // The trainer opens the evaluation after the last day and shows its QR code.
  await signInAs(page, "TRAINER");
  await page.goto(`/sessions/${sessionId}`);
  await page.getByRole("link", { name: "Evaluation: link and summary" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Evaluation:");
  await page.getByRole("button", { name: /Open the evaluation/ }).first().click();
  await expect(page.getByRole("img", { name: "QR code for the evaluation" })).toBeVisible();
  const link = (await page.locator(".check-in-link code").textContent()) ?? "";
  expect(link).toMatch(/\/evaluate\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  await expectNoAxeViolations(page);

  // A participant's phone: no sign-in, English first (its browser's language).
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "en-US" });
  const participant = await phone.newPage();
  await participant.goto(new URL(link).pathname);
  await expect(participant.getByRole("heading", { level: 1, name: "Tell us about your training" })).toBeVisible();
  await expect(participant.getByText("QPR")).toBeVisible();
  await expectNoAxeViolations(participant);
  if (SHOTS) await participant.screenshot({ path: `${SHOTS}/evaluation-phone-en.png`, fullPage: true });

  await participant.getByRole("link", { name: "Español" }).click();
  await expect(participant.getByRole("heading", { level: 1, name: "Cuéntenos sobre su capacitación" })).toBeVisible();
  await expectNoAxeViolations(participant);
  if (SHOTS) await participant.screenshot({ path: `${SHOTS}/evaluation-phone-es.png`, fullPage: true });

  // A first try without the ratings: told which question, in Spanish, and nothing is saved.
  await participant.getByLabel("Número del distrito").fill(districtId);
  await participant.getByRole("button", { name: "Enviar mi evaluación" }).click();
  await expect(participant.getByRole("alert")).toContainText("En general, la capacitación valió la pena.");
  await expectNoAxeViolations(participant);

  const group = (name: string) => participant.getByRole("group", { name });
  await group("En general, la capacitación valió la pena.").getByLabel("5 Totalmente de acuerdo").check();
  await group("El contenido fue claro y útil.").getByLabel("4 De acuerdo").check();
  await group("Los instructores estaban bien preparados y fueron fáciles de seguir.").getByLabel("5 Totalmente de acuerdo").check();
  await group("Me siento capaz de ayudar a alguien que está pasando por un mal momento.").getByLabel("4 De acuerdo").check();
  await group("¿Recomendaría esta capacitación a un colega? (opcional)").getByLabel("Sí").check();
  await participant.getByLabel(/¿Algo más que quiera decirles/).fill(comment);
  await participant.getByRole("button", { name: "Enviar mi evaluación" }).click();
  await expect(participant.getByRole("heading", { level: 1, name: "Gracias por su evaluación" })).toBeVisible();
  await expectNoAxeViolations(participant);
  if (SHOTS) await participant.screenshot({ path: `${SHOTS}/evaluation-phone-thanks.png`, fullPage: true });
  await phone.close();

  // Another participant's phone without JavaScript: the plain form posts, in English.
  const noScript = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false, locale: "en-US" });
  const second = await noScript.newPage();
  await second.goto(new URL(link).pathname);
  await second.getByLabel("District ID").fill(secondDistrictId);
  const question = (name: string) => second.getByRole("group", { name });
  await question("Overall, the training was worth my time.").getByLabel("5 Strongly agree").check();
  await question("The content was clear and useful.").getByLabel("4 Agree").check();
  await question("The trainers were well prepared and easy to follow.").getByLabel("5 Strongly agree").check();
  await question("I feel confident I could help someone who is struggling.").getByLabel("4 Agree").check();
  await question("Would you recommend this training to a colleague? (optional)").getByLabel("No").check();
  await second.getByRole("button", { name: "Send my evaluation" }).click();
  await expect(second.getByRole("heading", { level: 1, name: "Thank you for your evaluation" })).toBeVisible();
  // The same person again: one evaluation only.
  await second.goto(new URL(link).pathname);
  await second.getByLabel("District ID").fill(secondDistrictId);
  for (const name of ["Overall, the training was worth my time.", "The content was clear and useful.", "The trainers were well prepared and easy to follow.", "I feel confident I could help someone who is struggling."]) {
    await question(name).getByLabel("1 Strongly disagree").check();
  }
  await second.getByRole("button", { name: "Send my evaluation" }).click();
  await expect(second.getByRole("heading", { level: 1, name: "Already received, thank you" })).toBeVisible();
  await noScript.close();

  // The trainer's summary: two responses, their averages, and the comment.
  await page.reload();
  const summary = page.getByRole("region", { name: "Summary" });
  await expect(summary).toContainText(/Responses\s*2 of \d+ enrolled/);
  const table = summary.getByRole("table");
  await expect(table.getByRole("row", { name: /Overall, the training was worth my time/ })).toContainText("5.0");
  await expect(table.getByRole("row", { name: /The content was clear and useful/ })).toContainText("4.0");
  await expect(summary).toContainText("50% (1 of 2 who answered)");
  await expect(summary.getByText(comment)).toBeVisible();
  await expectNoAxeViolations(page);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/evaluation-summary.png`, fullPage: true });

  // Across all the trainer's sessions, from their home page.
  await page.goto("/trainer");
  await page.getByRole("link", { name: "My evaluations" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My evaluations" })).toBeVisible();
  await expect(page.getByRole("table", { name: /Average ratings per session/ })).toContainText("QPR: Grade 7");
  await expect(page.getByText(comment)).toBeVisible();
  await expectNoAxeViolations(page);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/evaluation-trainer.png`, fullPage: true });

  // The audit page tells it in plain words, naming no participant.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "ADMIN");
  await admin.goto(`/admin/audit?sessionId=${sessionId}&kind=evaluation`);
  const events = admin.getByRole("list", { name: "Audit events, newest first" });
  await expect(events).toContainText(/opened the evaluation of the /);
  await expect(events.getByText(/a participant submitted an evaluation for the /i)).toHaveCount(2);
  await expectNoAxeViolations(admin);
  await adminContext.close();
});
