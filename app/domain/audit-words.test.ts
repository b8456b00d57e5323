import { describe, expect, it } from "vitest";
import {
  AUDIT_KINDS, auditSubjects, describeAuditEvent, isAuditKind, parseAuditDetails, peopleNamedIn,
  type AuditContext, type AuditEventInput, type AuditNames,
} from "./audit-words";

// Session days at 9:00 in Los Angeles: 17:00 UTC. One at 00:30 on Mar 4 UTC is still Mar 3 in the district.
const names: AuditNames = {
  timeZone: "America/Los_Angeles",
  users: { terry: "Terry Trainer", lee: "Lee Lead", ada: "Ada Admin", cody: "Cody Coordinator" },
  people: { ana: "Ana López", ben: "Ben Ng", cara: "Cara Diaz", hidden: "a student" },
  programs: { ymhfa: { code: "YMHFA", name: "Youth Mental Health First Aid" }, qpr: { code: "QPR", name: "QPR Gatekeeper" } },
  sessions: {
    s1: { title: "Spring YMHFA at Lincoln", programId: "ymhfa", firstDay: "2026-03-03T17:00:00.000Z" },
    s2: { title: null, programId: "qpr", firstDay: "2026-04-10T17:00:00.000Z" },
  },
  schools: { lincoln: "Lincoln High", grant: "Grant Middle" },
  regions: { north: "North", south: "South" },
  days: { d1: "2026-03-03T17:00:00.000Z", late: "2026-03-04T00:30:00.000Z" },
  certificates: {
    c1: { personId: "ana", programId: "ymhfa", issuedOn: "2026-03-03T00:00:00.000Z" },
    c0: { personId: "ana", programId: "ymhfa", issuedOn: "2023-03-01T00:00:00.000Z" },
    ext: { personId: "ana", programId: "ymhfa", issuedOn: "2025-06-01T00:00:00.000Z" },
  },
};

function words(action: string, entityType: string, entityId: string, actorId: string | null, details: Record<string, unknown>, context?: AuditContext) {
  const event: AuditEventInput = { action, entityType, entityId, actorId, details };
  return describeAuditEvent(event, names, context);
}

describe("attendance and completion steps", () => {
  it("one mark: who, whom, what, which day in the district, and what it was", () => {
    expect(words("attendance.record", "TrainingSession", "s1", "terry", { method: "MANUAL", changes: [{ personId: "ana", sessionDayId: "d1", from: "ABSENT", to: "PRESENT" }] }, { sessionId: "s1" }))
      .toBe("Terry Trainer marked Ana López present on Mar 3, 2026 (was absent) on the attendance sheet");
  });

  it("a day is the district's day, not UTC's", () => {
    expect(words("attendance.record", "TrainingSession", "s1", "terry", { method: "PAPER", changes: [{ personId: "ana", sessionDayId: "late", from: null, to: "PARTIAL" }] }))
      .toBe("Terry Trainer marked Ana López partly present on Mar 3, 2026 in the session “Spring YMHFA at Lincoln” from the paper sign-in sheet");
  });

  it("a cleared mark, and several marks at once", () => {
    expect(words("attendance.record", "TrainingSession", "s1", "terry", { method: "MANUAL", changes: [{ personId: "ben", sessionDayId: "d1", from: "PRESENT", to: null }] }, { sessionId: "s1" }))
      .toBe("Terry Trainer cleared the mark of Ben Ng for Mar 3, 2026 (was present) on the attendance sheet");
    expect(words("attendance.record", "TrainingSession", "s1", "terry", {
      method: "MANUAL",
      changes: [{ personId: "ana", sessionDayId: "d1", from: null, to: "PRESENT" }, { personId: "hidden", sessionDayId: "d1", from: null, to: "ABSENT" }],
    }, { sessionId: "s1" })).toBe("Terry Trainer recorded attendance for 2 marks on the attendance sheet: Ana López present on Mar 3, 2026 and a student absent on Mar 3, 2026");
  });

  it("on a person's page only that person's mark is told", () => {
    expect(words("attendance.record", "TrainingSession", "s1", "terry", {
      method: "MANUAL",
      changes: [{ personId: "ana", sessionDayId: "d1", from: "ABSENT", to: "PRESENT" }, { personId: "ben", sessionDayId: "d1", from: null, to: "ABSENT" }],
    }, { personId: "ana" })).toBe("Terry Trainer marked Ana López present on Mar 3, 2026 (was absent) in the session “Spring YMHFA at Lincoln” on the attendance sheet");
  });

  it("a QR self check-in has no actor: the person checked in", () => {
    expect(words("attendance.record", "TrainingSession", "s2", null, { method: "QR", changes: [{ personId: "cara", sessionDayId: "d1", from: null, to: "PRESENT" }] }))
      .toBe("Cara Diaz checked in with the QR code on Mar 3, 2026 for the QPR session of Apr 10, 2026");
  });

  it("post-work and evaluation", () => {
    expect(words("enrollment.steps", "TrainingSession", "s1", "terry", { changes: [{ personId: "ana", postWorkCompletedOn: "2026-03-05T00:00:00.000Z" }] }, { sessionId: "s1" }))
      .toBe("Terry Trainer recorded post-work done on Mar 5, 2026 for Ana López");
    expect(words("enrollment.steps", "TrainingSession", "s1", "terry", {
      source: "mhfa-import",
      changes: [{ personId: "ana", postWorkCompletedOn: null, evaluationCompletedOn: "2026-03-06T00:00:00.000Z" }, { personId: "ben", evaluationCompletedOn: null }],
    })).toBe("Terry Trainer recorded post-work and evaluation for 2 people in the session “Spring YMHFA at Lincoln” from the MHFA platform's export: Ana López: post-work not done and evaluation done on Mar 6, 2026; Ben Ng: evaluation not done");
  });
});

describe("rosters and check-in", () => {
  it("roster adds name the people and how they came", () => {
    expect(words("roster.add", "TrainingSession", "s1", "terry", { personIds: ["ana"], source: "manual", overCapacity: false }, { sessionId: "s1" }))
      .toBe("Terry Trainer added Ana López to the roster of the session by hand");
    expect(words("roster.add", "TrainingSession", "s1", "terry", { personIds: ["ana", "ben", "hidden"], source: "csv-import", overCapacity: true }))
      .toBe("Terry Trainer added 3 people (Ana López, Ben Ng and a student) to the roster of the session “Spring YMHFA at Lincoln” from a CSV file, over capacity on purpose");
    expect(words("roster.add", "TrainingSession", "s1", "terry", { personIds: ["ana", "ben", "cara"], source: "paper" }, { personId: "ben" }))
      .toBe("Terry Trainer added Ben Ng and 2 other people to the roster of the session “Spring YMHFA at Lincoln” from the paper sign-in sheet");
  });

  it("a roster removal", () => {
    expect(words("roster.remove", "TrainingSession", "s1", "terry", { personId: "ben", hadAttendance: 2 }))
      .toBe("Terry Trainer removed Ben Ng from the roster of the session “Spring YMHFA at Lincoln” (2 attendance marks had been recorded)");
  });

  it("QR check-in opened and closed, walk-ins approved and turned away", () => {
    expect(words("checkin.open", "TrainingSession", "s1", "terry", { sessionDayId: "d1", expiresAt: "2026-03-04T01:00:00.000Z" }, { sessionId: "s1" }))
      .toBe("Terry Trainer opened QR check-in for Mar 3, 2026 (the link works until Mar 3, 2026, 5:00 PM)");
    expect(words("checkin.close", "TrainingSession", "s1", "terry", { sessionDayId: "d1" }))
      .toBe("Terry Trainer closed QR check-in for Mar 3, 2026 of the session “Spring YMHFA at Lincoln”");
    expect(words("checkin.walkin.approve", "TrainingSession", "s1", "terry", { walkInId: "w", sessionDayId: "d1", personId: "cara" }))
      .toBe("Terry Trainer let walk-in Cara Diaz join the session “Spring YMHFA at Lincoln” on Mar 3, 2026");
    expect(words("checkin.walkin.dismiss", "TrainingSession", "s1", "terry", { walkInId: "w", sessionDayId: "d1" }, { sessionId: "s1" }))
      .toBe("Terry Trainer turned away a walk-in at the session on Mar 3, 2026");
  });
});

describe("sessions", () => {
  it("scheduled, changed, cancelled, reopened", () => {
    expect(words("session.create", "TrainingSession", "s2", "terry", { programId: "qpr", days: [{}, {}] })).toBe("Terry Trainer scheduled the QPR session of Apr 10, 2026 (2 days)");
    expect(words("session.update", "TrainingSession", "s1", "terry", {}, { sessionId: "s1" })).toBe("Terry Trainer changed the details of the session");
    expect(words("session.cancel", "TrainingSession", "s1", "terry", { reason: "snow day" })).toBe("Terry Trainer cancelled the session “Spring YMHFA at Lincoln”: snow day");
    expect(words("session.reopen", "TrainingSession", "s1", "ada", { reason: null })).toBe("Ada Admin reopened the session “Spring YMHFA at Lincoln”");
  });

  it("closed, with what it issued", () => {
    expect(words("session.close", "TrainingSession", "s1", "terry", { issued: 12, alreadyHeld: 1, notCompleted: [{ personId: "ben", reasons: ["post-work not done"] }] }, { sessionId: "s1" }))
      .toBe("Terry Trainer closed the session; 12 certificates issued, 1 already held one, 1 did not complete");
    expect(words("session.close", "TrainingSession", "s1", "terry", { issued: 1, alreadyHeld: 0, notCompleted: [{ personId: "ben", reasons: ["post-work not done"] }] }, { personId: "ben" }))
      .toBe("Terry Trainer closed the session “Spring YMHFA at Lincoln”; 1 certificate issued, Ben Ng did not complete (post-work not done)");
  });
});

describe("certificates", () => {
  it("issued, with its dates", () => {
    expect(words("certification.issue", "Certification", "c1", "terry", { personId: "ana", sessionId: "s1", issuedOn: "2026-03-03", expiresOn: "2029-03-03" }))
      .toBe("Terry Trainer issued a YMHFA certificate to Ana López for the session “Spring YMHFA at Lincoln”, issued Mar 3, 2026, expires Mar 3, 2029");
    expect(words("certification.issue", "Certification", "c9", "terry", { personId: "cara", sessionId: "s2", issuedOn: "2026-04-10", expiresOn: null }, { sessionId: "s2" }))
      .toBe("Terry Trainer issued a QPR certificate to Cara Diaz, issued Apr 10, 2026, never expires");
  });

  it("renewed: the old one is kept", () => {
    expect(words("certification.renew", "Certification", "c0", "terry", { renewedById: "c1" }))
      .toBe("Terry Trainer renewed the YMHFA certificate of Mar 1, 2023 of Ana López with the certificate of Mar 3, 2026; the old one is kept");
  });

  it("revoked, with the reason", () => {
    expect(words("certification.revoke", "Certification", "c1", "lee", { reason: "issued in error", personId: "ana", programId: "ymhfa" }))
      .toBe("Lee Lead revoked certificate YMHFA (issued Mar 3, 2026) for Ana López: issued in error");
    expect(words("certification.revoke", "Certification", "gone", "lee", { reason: "issued in error", personId: "ana", programId: "ymhfa" }))
      .toBe("Lee Lead revoked certificate YMHFA for Ana López: issued in error");
    expect(words("certification.revoke", "Certification", "c1", "lee", { reason: "issued in error", personId: "ana", programId: "ymhfa" }, { showReasons: false }))
      .toBe("Lee Lead revoked certificate YMHFA (issued Mar 3, 2026) for Ana López");
  });

  it("recorded from elsewhere", () => {
    expect(words("certification.record", "Certification", "ext", "lee", {
      programId: "ymhfa", issuedOn: "2025-06-01", expiresOn: "2028-06-01", source: "Official MHFA platform", evidenceNote: "",
    })).toBe("Lee Lead recorded a YMHFA certificate for Ana López earned elsewhere (Official MHFA platform), issued Jun 1, 2025, expires Jun 1, 2028");
    expect(words("certification.record", "Certification", "ext", "lee", {
      programId: "ymhfa", issuedOn: "2025-06-01", expiresOn: null, source: "mhfa-platform", evidenceNote: "PDF seen",
    })).toBe("Lee Lead recorded a YMHFA certificate for Ana López earned elsewhere (Official MHFA platform), issued Jun 1, 2025, never expires; evidence: PDF seen");
  });
});

describe("people", () => {
  it("created, changed (values only where asked), merged and unmerged", () => {
    expect(words("person.create", "Person", "ana", "terry", { districtId: "E1", kind: "STAFF" })).toBe("Terry Trainer added Ana López to the directory (staff)");
    expect(words("person.create", "Person", "ana", "ada", { via: "directory import, after review", importRowId: "r" })).toBe("Ada Admin added Ana López to the directory (directory import, after review)");
    const update = { changes: { firstName: ["Anna", "Ana"], email: [null, "ana@x.org"] } };
    expect(words("person.update", "Person", "ana", "ada", update)).toBe("Ada Admin changed the record of Ana López: first name; email");
    expect(words("person.update", "Person", "ana", "ada", update, { showValues: true }))
      .toBe("Ada Admin changed the record of Ana López: first name from “Anna” to “Ana”; email from blank to “ana@x.org”");
    expect(words("person.update", "Person", "ana", "ada", { changes: { kind: { from: "STAFF", to: "COMMUNITY" } }, via: "directory import review" }, { showValues: true }))
      .toBe("Ada Admin changed the record of Ana López (directory import review): kind from staff to community partner");
    expect(words("person.merge", "Person", "ana", "ada", { mergeId: "m", survivorId: "ana", mergedId: "ben", reason: "same person", copied: { email: [null, "x"] }, side: "survivor" }))
      .toBe("Ada Admin merged Ben Ng into Ana López, keeping every record (copied: email): same person");
    expect(words("person.unmerge", "Person", "ana", "ada", { mergeId: "m", survivorId: "ana", mergedId: "ben", kept: ["email"], side: "survivor" }))
      .toBe("Ada Admin undid the merge of Ben Ng into Ana López (email stayed on Ana López: changed since)");
    expect(words("person.not-duplicate", "Person", "ana", "ada", { otherId: "ben" })).toBe("Ada Admin marked Ana López and Ben Ng as not the same person");
  });

  it("reminder emails turned off and on by the person, memberships added", () => {
    expect(words("person.reminders-unsubscribe", "Person", "ana", null, { via: "unsubscribe-link" })).toBe("Ana López turned renewal reminder emails off (link in a reminder email)");
    expect(words("person.reminders-resubscribe", "Person", "ana", null, { via: "unsubscribe-link" })).toBe("Ana López turned renewal reminder emails back on (link in a reminder email)");
    expect(words("affiliation.create", "Person", "hidden", "terry", { schoolId: "lincoln", schoolYear: 2025, source: "qr-walk-in" }))
      .toBe("Terry Trainer made a student a member of Lincoln High for 2025-26 (added as an approved walk-in)");
  });

  it("a hidden student begins a sentence with a capital", () => {
    expect(words("person.reminders-unsubscribe", "Person", "hidden", null, {})).toBe("A student turned renewal reminder emails off (link in a reminder email)");
  });
});

describe("accounts", () => {
  it("created, changed, passwords and calendar feeds", () => {
    expect(words("user.create", "User", "terry", "ada", { email: "t@x", role: "TRAINER" })).toBe("Ada Admin created the account of Terry Trainer (trainer)");
    expect(words("user.update", "User", "cody", "ada", { role: ["TRAINER", "COORDINATOR"], active: [true, false], schools: ["LHS"] }))
      .toBe("Ada Admin changed the account of Cody Coordinator: role from trainer to school coordinator; turned the account off; schools: LHS");
    expect(words("user.password-reset", "User", "terry", "ada", {})).toBe("Ada Admin set a new password for Terry Trainer");
    expect(words("user.password-reset", "User", "terry", "terry", { via: "email link" })).toBe("Terry Trainer reset their password by email link");
    expect(words("user.password-change", "User", "terry", "terry", {})).toBe("Terry Trainer changed their password");
    expect(words("calendarFeed.create", "User", "lee", "lee", {})).toBe("Lee Lead turned on their calendar feed");
    expect(words("calendarFeed.replace", "User", "lee", "lee", {})).toBe("Lee Lead made a new calendar feed address; the old one stopped working");
    expect(words("calendarFeed.revoke", "User", "lee", "lee", {})).toBe("Lee Lead turned off their calendar feed");
    expect(words("user.digest-on", "User", "lee", "lee", {})).toBe("Lee Lead turned on the monthly digest email of their schools");
    expect(words("user.digest-off", "User", "lee", "lee", {})).toBe("Lee Lead turned off the monthly digest email of their schools");
  });
});

describe("programs, schools, regions, headcounts and goals", () => {
  it("programs", () => {
    expect(words("program.create", "Program", "qpr", "ada", { code: "QPR", name: "QPR Gatekeeper" })).toBe("Ada Admin created the program QPR Gatekeeper (QPR)");
    expect(words("program.update", "Program", "ymhfa", "ada", { validityMonths: [36, 24], requiresPostWork: [true, false] }))
      .toBe("Ada Admin changed the program Youth Mental Health First Aid (YMHFA): validity (months) from 36 to 24 and requires post-work from yes to no");
  });

  it("schools and regions", () => {
    expect(words("school.create", "School", "lincoln", "ada", { code: "LHS", name: "Lincoln High" })).toBe("Ada Admin created the school Lincoln High (LHS)");
    expect(words("school.update", "School", "lincoln", "ada", { regionId: { from: "north", to: "south" }, active: { from: true, to: false } }))
      .toBe("Ada Admin changed the school Lincoln High: region from North to South and open from open to closed");
    expect(words("region.create", "Region", "north", "ada", { code: "N", name: "North" })).toBe("Ada Admin created the region North (N)");
    expect(words("region.update", "Region", "north", "ada", { name: { from: "Nord", to: "North" } })).toBe("Ada Admin changed the region North: name from “Nord” to “North”");
    expect(words("school.import", "SchoolImport", "x", "ada", { fileName: "schools.csv", created: 3, updated: 2, unchanged: 10 }))
      .toBe("Ada Admin imported schools from schools.csv: 3 created, 2 updated, 10 unchanged");
    expect(words("headcount.import", "HeadcountImport", "x", "ada", { fileName: "hc.csv", created: 1, changed: 2, unchanged: 3, years: [2025] }))
      .toBe("Ada Admin imported headcounts from hc.csv for 2025-26: 1 new, 2 changed, 3 unchanged");
  });

  it("goals", () => {
    const goal = { scope: "SCHOOL", schoolId: "lincoln", regionId: null, programId: "ymhfa", measure: "PEOPLE_TRAINED", target: 50, startsOn: "2026-01-01", deadline: "2027-06-30" };
    expect(words("goal.create", "Goal", "g", "lee", goal)).toBe("Lee Lead set a goal: YMHFA people trained, target 50 by Jun 30, 2027 for Lincoln High");
    expect(words("goal.update", "Goal", "g", "lee", { ...goal, scope: "DISTRICT", measure: "STAFF_REACH", target: 40 }))
      .toBe("Lee Lead changed a goal; it is now: YMHFA share of staff current, target 40 by Jun 30, 2027 for the district");
    expect(words("goal.archive", "Goal", "g", "lee", {})).toBe("Lee Lead archived a goal");
    expect(words("goal.restore", "Goal", "g", "lee", {})).toBe("Lee Lead restored an archived goal");
  });
});

describe("what cannot be known still reads as a sentence", () => {
  it("an unknown action, an unknown actor, the system, and odd details", () => {
    expect(words("widget.frobnicate", "Widget", "w", "ada", {})).toBe("Ada Admin recorded “widget frobnicate” on a widget record");
    expect(words("session.cancel", "TrainingSession", "s1", "someone-deleted", {})).toBe("A user no longer on record cancelled the session “Spring YMHFA at Lincoln”");
    expect(words("roster.remove", "TrainingSession", "gone", null, { personId: "nobody" }))
      .toBe("The system removed someone no longer on record from the roster of a session no longer on record");
    expect(words("attendance.record", "TrainingSession", "s1", "terry", { changes: "not a list" }, { sessionId: "s1" })).toBe("Terry Trainer recorded attendance");
    expect(() => words("person.update", "Person", "ana", "ada", { changes: [1, 2, 3] })).not.toThrow();
  });

  it("details that are not JSON are no details", () => {
    expect(parseAuditDetails("{not json")).toEqual({});
    expect(parseAuditDetails("[1,2]")).toEqual({});
    expect(parseAuditDetails('{"a":1}')).toEqual({ a: 1 });
  });
});

describe("subjects and kinds", () => {
  it("collects every id an event refers to, by kind", () => {
    const event: AuditEventInput = {
      action: "attendance.record", entityType: "TrainingSession", entityId: "s1", actorId: "terry",
      details: { changes: [{ personId: "ana", sessionDayId: "d1" }, { personId: "ben", sessionDayId: "d2" }] },
    };
    const subjects = auditSubjects(event);
    expect(subjects.users).toEqual(["terry"]);
    expect(subjects.people).toEqual(["ana", "ben"]);
    expect(subjects.sessions).toEqual(["s1"]);
    expect(subjects.days).toEqual(["d1", "d2"]);
    expect(auditSubjects({ action: "certification.renew", entityType: "Certification", entityId: "c0", actorId: null, details: { renewedById: "c1" } }).certificates).toEqual(["c0", "c1"]);
    expect(peopleNamedIn({ action: "person.merge", entityType: "Person", entityId: "ana", details: { survivorId: "ana", mergedId: "ben" } })).toEqual(["ana", "ben"]);
  });

  it("every action the app writes belongs to a kind", () => {
    const actions = [
      "attendance.record", "enrollment.steps", "roster.add", "roster.remove", "checkin.open", "checkin.close", "checkin.walkin.approve",
      "checkin.walkin.dismiss", "certification.issue", "certification.renew", "certification.revoke", "certification.record", "session.create",
      "session.update", "session.cancel", "session.close", "session.reopen", "person.create", "person.update", "person.merge", "person.unmerge",
      "person.not-duplicate", "person.reminders-unsubscribe", "person.reminders-resubscribe", "affiliation.create", "user.create", "user.update",
      "user.password-reset", "user.password-change", "calendarFeed.create", "calendarFeed.replace", "calendarFeed.revoke", "program.create",
      "program.update", "region.create", "region.update", "school.create", "school.update", "school.safety-protocol", "school.import", "headcount.import", "goal.create",
      "goal.update", "goal.archive", "goal.restore",
    ];
    const prefixes: readonly string[] = Object.values(AUDIT_KINDS).flatMap((k) => k.prefixes);
    for (const action of actions) expect(prefixes.some((p) => action.startsWith(p)), action).toBe(true);
    expect(isAuditKind("attendance")).toBe(true);
    expect(isAuditKind("toString")).toBe(false);
  });
});

describe("instructor certifications and trainer accounts", () => {
  it("recording an instructor certification: whose, which program, the dates, where from", () => {
    expect(words("instructor-certification.record", "InstructorCertification", "ic1", "ada", {
      personId: "ana", programId: "ymhfa", issuedOn: "2026-07-01", expiresOn: "2029-07-01", source: "MHFA USA instructor training", evidenceNote: null,
    })).toBe("Ada Admin recorded Ana López's YMHFA instructor certification (issued Jul 1, 2026, expires Jul 1, 2029); source: MHFA USA instructor training");
    expect(words("instructor-certification.record", "InstructorCertification", "ic1", "ada", { personId: "ben", programId: "qpr", issuedOn: "2026-07-01", expiresOn: null }))
      .toBe("Ada Admin recorded Ben Ng's QPR instructor certification (issued Jul 1, 2026, never expires)");
    expect(AUDIT_KINDS.instructor.prefixes.some((p) => "instructor-certification.record".startsWith(p))).toBe(true);
  });

  it("linking an account to its person", () => {
    expect(words("user.link-person", "User", "terry", "ada", { personId: "cara", previousPersonId: null }))
      .toBe("Ada Admin linked the account of Terry Trainer to the person record of Cara Diaz");
    expect(words("user.link-person", "User", "terry", "ada", { personId: null, previousPersonId: "cara" }))
      .toBe("Ada Admin unlinked the account of Terry Trainer from its person record");
  });
});
