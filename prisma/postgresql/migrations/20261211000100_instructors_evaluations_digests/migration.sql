-- Instructors, anonymous session evaluations and the coordinators' monthly digest (as
-- prisma/migrations/20261211000100_instructors_evaluations_digests on SQLite).

-- AlterTable
ALTER TABLE "Program" ADD COLUMN "instructorCoursesPerYear" INTEGER;
-- AlterTable
ALTER TABLE "TrainingSession" ADD COLUMN "evaluationNonce" TEXT;
-- AlterTable
ALTER TABLE "User" ADD COLUMN "monthlyDigest" BOOLEAN NOT NULL DEFAULT false;

-- The YMHFA instructor rule: at least 3 courses a year (../shared/docs/domain.md).
UPDATE "Program" SET "instructorCoursesPerYear" = 3 WHERE "code" = 'YMHFA';

-- CreateTable
CREATE TABLE "InstructorCertification" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "issuedOn" TIMESTAMP(3) NOT NULL,
    "expiresOn" TIMESTAMP(3),
    "source" TEXT,
    "evidenceNote" TEXT,
    "recordedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstructorCertification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstructorReminderDelivery" (
    "id" TEXT NOT NULL,
    "instructorCertificationId" TEXT NOT NULL,
    "yearEndsOn" TIMESTAMP(3) NOT NULL,
    "daysBefore" INTEGER NOT NULL,
    "dueOn" TIMESTAMP(3) NOT NULL,
    "status" "ReminderStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "channel" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstructorReminderDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionEvaluation" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',
    "overall" INTEGER NOT NULL,
    "content" INTEGER NOT NULL,
    "trainers" INTEGER NOT NULL,
    "confidence" INTEGER NOT NULL,
    "recommend" BOOLEAN,
    "comment" TEXT,
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CoordinatorDigest" (
    "userId" TEXT NOT NULL,
    "month" TIMESTAMP(3) NOT NULL,
    "status" "ReminderStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "channel" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CoordinatorDigest_pkey" PRIMARY KEY ("userId","month")
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

-- AddForeignKey
ALTER TABLE "InstructorCertification" ADD CONSTRAINT "InstructorCertification_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "InstructorCertification" ADD CONSTRAINT "InstructorCertification_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "InstructorCertification" ADD CONSTRAINT "InstructorCertification_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "InstructorReminderDelivery" ADD CONSTRAINT "InstructorReminderDelivery_instructorCertificationId_fkey" FOREIGN KEY ("instructorCertificationId") REFERENCES "InstructorCertification"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "SessionEvaluation" ADD CONSTRAINT "SessionEvaluation_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "CoordinatorDigest" ADD CONSTRAINT "CoordinatorDigest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
