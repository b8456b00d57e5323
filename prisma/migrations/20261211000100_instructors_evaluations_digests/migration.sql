-- Instructors (certifications to teach a program, the courses-a-year rule and reminders for those short),
-- anonymous session evaluations behind a signed link, and the coordinators' monthly digest.
-- Columns are added in place: redefining "TrainingSession" or "User" would drop triggers and indexes.

-- AlterTable
ALTER TABLE "Program" ADD COLUMN "instructorCoursesPerYear" INTEGER;
ALTER TABLE "TrainingSession" ADD COLUMN "evaluationNonce" TEXT;
ALTER TABLE "User" ADD COLUMN "monthlyDigest" BOOLEAN NOT NULL DEFAULT false;

-- The YMHFA instructor rule: at least 3 courses a year (../shared/docs/domain.md).
UPDATE "Program" SET "instructorCoursesPerYear" = 3 WHERE "code" = 'YMHFA';

-- CreateTable
CREATE TABLE "InstructorCertification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "issuedOn" DATETIME NOT NULL,
    "expiresOn" DATETIME,
    "source" TEXT,
    "evidenceNote" TEXT,
    "recordedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InstructorCertification_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "InstructorCertification_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "InstructorCertification_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InstructorReminderDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "instructorCertificationId" TEXT NOT NULL,
    "yearEndsOn" DATETIME NOT NULL,
    "daysBefore" INTEGER NOT NULL,
    "dueOn" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "sentAt" DATETIME,
    "channel" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InstructorReminderDelivery_instructorCertificationId_fkey" FOREIGN KEY ("instructorCertificationId") REFERENCES "InstructorCertification" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SessionEvaluation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',
    "overall" INTEGER NOT NULL,
    "content" INTEGER NOT NULL,
    "trainers" INTEGER NOT NULL,
    "confidence" INTEGER NOT NULL,
    "recommend" BOOLEAN,
    "comment" TEXT,
    "submittedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SessionEvaluation_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CoordinatorDigest" (
    "userId" TEXT NOT NULL,
    "month" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "channel" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "month"),
    CONSTRAINT "CoordinatorDigest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "InstructorCertification_personId_programId_idx" ON "InstructorCertification"("personId", "programId");
-- CreateIndex
CREATE INDEX "InstructorCertification_programId_expiresOn_idx" ON "InstructorCertification"("programId", "expiresOn");
-- CreateIndex
CREATE INDEX "InstructorReminderDelivery_status_dueOn_idx" ON "InstructorReminderDelivery"("status", "dueOn");
-- CreateIndex
CREATE UNIQUE INDEX "InstructorReminderDelivery_year_offset_key" ON "InstructorReminderDelivery"("instructorCertificationId", "yearEndsOn", "daysBefore");
-- CreateIndex
CREATE INDEX "SessionEvaluation_sessionId_idx" ON "SessionEvaluation"("sessionId");
