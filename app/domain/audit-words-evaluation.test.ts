import { describe, expect, it } from "vitest";
import { AUDIT_KINDS, auditSubjects, describeAuditEvent, type AuditContext, type AuditNames } from "./audit-words";

// Session evaluations in plain words (kept apart from audit-words.test.ts, which other features edit).
const names: AuditNames = {
  timeZone: "America/Los_Angeles",
  users: { terry: "Terry Trainer", lee: "Lee Lead" },
  people: {},
  programs: { qpr: { code: "QPR", name: "QPR Gatekeeper" } },
  sessions: {
    s1: { title: "Spring YMHFA at Lincoln", programId: null, firstDay: "2026-03-03T17:00:00.000Z" },
    s2: { title: null, programId: "qpr", firstDay: "2026-04-10T17:00:00.000Z" },
  },
  schools: {}, regions: {}, days: {}, certificates: {},
};

const words = (action: string, actorId: string | null, details: Record<string, unknown>, context?: AuditContext, sessionId = "s1") =>
  describeAuditEvent({ action, entityType: "TrainingSession", entityId: sessionId, actorId, details }, names, context);

describe("session evaluations in the audit trail", () => {
  it("says who opened, reopened and closed the evaluation link", () => {
    expect(words("evaluation.open", "terry", { expiresAt: "2026-03-18T07:00:00.000Z", replaced: false }))
      .toBe("Terry Trainer opened the evaluation of the session “Spring YMHFA at Lincoln” (the link works until Mar 18, 2026, 12:00 AM)");
    expect(words("evaluation.open", "lee", { expiresAt: "2026-03-18T07:00:00.000Z", replaced: true }, { sessionId: "s1" }))
      .toBe("Lee Lead opened the evaluation of the session with a new link (the link works until Mar 18, 2026, 12:00 AM)");
    expect(words("evaluation.close", "terry", {}, {}, "s2")).toBe("Terry Trainer closed the evaluation of the QPR session of Apr 10, 2026");
  });

  it("says a participant submitted one without naming anyone", () => {
    const sentence = words("evaluation.submit", null, {});
    expect(sentence).toBe("A participant submitted an evaluation for the session “Spring YMHFA at Lincoln”");
    expect(auditSubjects({ action: "evaluation.submit", entityType: "TrainingSession", entityId: "s1", actorId: null, details: {} }).people).toEqual([]);
  });

  it("files them under their own kind", () => {
    for (const action of ["evaluation.open", "evaluation.close", "evaluation.submit"]) {
      expect(AUDIT_KINDS.evaluation.prefixes.some((p) => action.startsWith(p))).toBe(true);
    }
  });
});
