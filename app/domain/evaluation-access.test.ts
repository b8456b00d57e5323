import { describe, expect, it } from "vitest";
import { canManageEvaluation, canReadEvaluationComments, canSeeTrainerEvaluations } from "./evaluation-access";

const session = { trainerUserIds: ["terry", "cora"], schoolId: "s1" };
const viewer = (id: string, role: "ADMIN" | "PROGRAM_LEAD" | "TRAINER" | "COORDINATOR" | "MEMBER") => ({ id, role, schoolIds: ["s1"] });

describe("evaluation access", () => {
  it("lets the session's trainers, leads and admins open the link and read comments", () => {
    for (const v of [viewer("terry", "TRAINER"), viewer("cora", "TRAINER"), viewer("lee", "PROGRAM_LEAD"), viewer("alex", "ADMIN")]) {
      expect(canManageEvaluation(v, session)).toBe(true);
      expect(canReadEvaluationComments(v, session)).toBe(true);
    }
  });

  it("keeps other trainers and the school's coordinator to counts and averages", () => {
    for (const v of [viewer("tess", "TRAINER"), viewer("casey", "COORDINATOR"), viewer("terry", "MEMBER")]) {
      expect(canManageEvaluation(v, session)).toBe(false);
      expect(canReadEvaluationComments(v, session)).toBe(false);
    }
  });

  it("shows a trainer's own summary to that trainer, leads and admins only", () => {
    expect(canSeeTrainerEvaluations(viewer("terry", "TRAINER"), "terry")).toBe(true);
    expect(canSeeTrainerEvaluations(viewer("lee", "PROGRAM_LEAD"), "terry")).toBe(true);
    expect(canSeeTrainerEvaluations(viewer("alex", "ADMIN"), "terry")).toBe(true);
    expect(canSeeTrainerEvaluations(viewer("tess", "TRAINER"), "terry")).toBe(false);
    expect(canSeeTrainerEvaluations(viewer("casey", "COORDINATOR"), "terry")).toBe(false);
    expect(canSeeTrainerEvaluations(viewer("terry", "MEMBER"), "terry")).toBe(false);
  });
});
