-- PostgreSQL's first migration: today's whole data model (prisma/postgresql/schema.prisma, written from
-- prisma/schema.prisma), then the reach rollup's triggers. SQLite keeps its own history in prisma/migrations;
-- from here on every schema change adds a migration to both folders (docs/decisions/016-postgresql.md).

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SchoolLevel" AS ENUM ('ELEMENTARY', 'MIDDLE', 'HIGH', 'K12', 'CENTER', 'OTHER');

-- CreateEnum
CREATE TYPE "PersonKind" AS ENUM ('STAFF', 'STUDENT', 'COMMUNITY');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'PROGRAM_LEAD', 'TRAINER', 'COORDINATOR', 'MEMBER');

-- CreateEnum
CREATE TYPE "ProgramAudience" AS ENUM ('ADULTS', 'STUDENTS', 'ANYONE', 'TRAINERS');

-- CreateEnum
CREATE TYPE "SessionFormat" AS ENUM ('IN_PERSON', 'VIRTUAL', 'BLENDED');

-- CreateEnum
CREATE TYPE "SessionAudience" AS ENUM ('STAFF', 'STUDENTS', 'COMMUNITY', 'MIXED');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('SCHEDULED', 'CLOSED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "TrainerRole" AS ENUM ('LEAD', 'CO');

-- CreateEnum
CREATE TYPE "AttendanceStatus" AS ENUM ('PRESENT', 'ABSENT', 'PARTIAL');

-- CreateEnum
CREATE TYPE "GoalScope" AS ENUM ('DISTRICT', 'REGION', 'SCHOOL');

-- CreateEnum
CREATE TYPE "GoalMeasure" AS ENUM ('PEOPLE_TRAINED', 'STAFF_REACH');

-- CreateEnum
CREATE TYPE "ReminderStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "WalkInDecision" AS ENUM ('APPROVED', 'DISMISSED');

-- CreateEnum
CREATE TYPE "DirectoryImportStatus" AS ENUM ('MAPPING', 'STAGING', 'READY', 'COMMITTING', 'COMMITTED', 'FAILED', 'DISCARDED');

-- CreateEnum
CREATE TYPE "DirectoryRowOutcome" AS ENUM ('NEW', 'UPDATED', 'UNCHANGED', 'REVIEW', 'IGNORED');

-- CreateEnum
CREATE TYPE "MembershipChange" AS ENUM ('ADD', 'END', 'RETITLE');

-- CreateEnum
CREATE TYPE "ReviewState" AS ENUM ('OPEN', 'ACCEPTED', 'REJECTED');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'SKIPPED');

-- CreateTable
CREATE TABLE "Region" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Region_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "School" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "SchoolLevel" NOT NULL,
    "regionId" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "School_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Headcount" (
    "id" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL,
    "schoolYear" INTEGER NOT NULL,
    "staffCount" INTEGER NOT NULL,
    "studentCount" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Headcount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "districtId" TEXT,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "email" TEXT,
    "kind" "PersonKind" NOT NULL,
    "mergedIntoId" TEXT,
    "remindersOptOutAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Affiliation" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL,
    "schoolYear" INTEGER NOT NULL,
    "title" TEXT,

    CONSTRAINT "Affiliation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Program" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "audience" "ProgramAudience" NOT NULL,
    "validityMonths" INTEGER,
    "renewalWindowDays" INTEGER,
    "requiresAttendance" BOOLEAN NOT NULL DEFAULT true,
    "requiresPostWork" BOOLEAN NOT NULL DEFAULT false,
    "requiresEvaluation" BOOLEAN NOT NULL DEFAULT false,
    "maxParticipants" INTEGER,
    "reminderDays" TEXT NOT NULL DEFAULT '90,30,7,0',
    "renewalGuidance" TEXT NOT NULL DEFAULT '',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "hours" DOUBLE PRECISION,

    CONSTRAINT "Program_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingSession" (
    "id" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "title" TEXT,
    "format" "SessionFormat" NOT NULL,
    "audience" "SessionAudience" NOT NULL,
    "schoolId" TEXT,
    "siteName" TEXT,
    "hostOrganization" TEXT,
    "capacity" INTEGER,
    "notes" TEXT,
    "status" "SessionStatus" NOT NULL DEFAULT 'SCHEDULED',
    "closedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionDay" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "checkInNonce" TEXT,
    "checkInOpenedAt" TIMESTAMP(3),

    CONSTRAINT "SessionDay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionTrainer" (
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "TrainerRole" NOT NULL,

    CONSTRAINT "SessionTrainer_pkey" PRIMARY KEY ("sessionId","userId")
);

-- CreateTable
CREATE TABLE "Enrollment" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "postWorkCompletedOn" TIMESTAMP(3),
    "evaluationCompletedOn" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Enrollment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attendance" (
    "id" TEXT NOT NULL,
    "enrollmentId" TEXT NOT NULL,
    "sessionDayId" TEXT NOT NULL,
    "status" "AttendanceStatus" NOT NULL,
    "method" TEXT NOT NULL DEFAULT 'MANUAL',
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Certification" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "sessionId" TEXT,
    "issuedOn" TIMESTAMP(3) NOT NULL,
    "expiresOn" TIMESTAMP(3),
    "verificationCode" TEXT NOT NULL,
    "renewedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Certification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Goal" (
    "id" TEXT NOT NULL,
    "scope" "GoalScope" NOT NULL,
    "regionId" TEXT,
    "schoolId" TEXT,
    "programId" TEXT NOT NULL,
    "measure" "GoalMeasure" NOT NULL,
    "target" DOUBLE PRECISION NOT NULL,
    "startsOn" TIMESTAMP(3) NOT NULL,
    "deadline" TIMESTAMP(3) NOT NULL,
    "archivedAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Goal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "ssoSubject" TEXT,
    "welcomedAt" TIMESTAMP(3),
    "role" "Role" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "personId" TEXT,
    "lastSignedInAt" TIMESTAMP(3),
    "rosterImportMapping" TEXT,
    "directoryImportMapping" TEXT,
    "calendarFeedToken" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CoordinatorSchool" (
    "userId" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL,

    CONSTRAINT "CoordinatorSchool_pkey" PRIMARY KEY ("userId","schoolId")
);

-- CreateTable
CREATE TABLE "AuthSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userAgent" TEXT,

    CONSTRAINT "AuthSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInFailure" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignInFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReminderDelivery" (
    "id" TEXT NOT NULL,
    "certificationId" TEXT NOT NULL,
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

    CONSTRAINT "ReminderDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "toAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "textBody" TEXT NOT NULL,
    "htmlBody" TEXT NOT NULL,
    "reminderId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReachRollup" (
    "schoolYear" INTEGER NOT NULL,
    "programId" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "scopeId" TEXT NOT NULL,
    "day" INTEGER NOT NULL,
    "staffCurrent" INTEGER NOT NULL DEFAULT 0,
    "staffExpiring" INTEGER NOT NULL DEFAULT 0,
    "staffYear" INTEGER NOT NULL DEFAULT 0,
    "staffEver" INTEGER NOT NULL DEFAULT 0,
    "studentCurrent" INTEGER NOT NULL DEFAULT 0,
    "studentExpiring" INTEGER NOT NULL DEFAULT 0,
    "studentYear" INTEGER NOT NULL DEFAULT 0,
    "studentEver" INTEGER NOT NULL DEFAULT 0,
    "communityCurrent" INTEGER NOT NULL DEFAULT 0,
    "communityExpiring" INTEGER NOT NULL DEFAULT 0,
    "communityYear" INTEGER NOT NULL DEFAULT 0,
    "communityEver" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReachRollup_pkey" PRIMARY KEY ("schoolYear","programId","level","scopeId","day")
);

-- CreateTable
CREATE TABLE "ReachPersonState" (
    "who" TEXT NOT NULL,
    "state" TEXT NOT NULL,

    CONSTRAINT "ReachPersonState_pkey" PRIMARY KEY ("who")
);

-- CreateTable
CREATE TABLE "ReachDirty" (
    "personId" TEXT NOT NULL,

    CONSTRAINT "ReachDirty_pkey" PRIMARY KEY ("personId")
);

-- CreateTable
CREATE TABLE "CheckInWalkIn" (
    "id" TEXT NOT NULL,
    "sessionDayId" TEXT NOT NULL,
    "identityKey" TEXT NOT NULL,
    "districtId" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decision" "WalkInDecision",
    "decidedAt" TIMESTAMP(3),
    "decidedById" TEXT,
    "personId" TEXT,

    CONSTRAINT "CheckInWalkIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitCounter" (
    "key" TEXT NOT NULL,
    "windowStart" BIGINT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" BIGINT NOT NULL,

    CONSTRAINT "RateLimitCounter_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateTable
CREATE TABLE "DirectoryImport" (
    "id" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "schoolYear" INTEGER NOT NULL,
    "fileNames" TEXT NOT NULL,
    "status" "DirectoryImportStatus" NOT NULL DEFAULT 'STAGING',
    "phase" TEXT NOT NULL DEFAULT '',
    "progressDone" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER NOT NULL DEFAULT 0,
    "counts" TEXT NOT NULL DEFAULT '{}',
    "unmatchedOrgs" TEXT NOT NULL DEFAULT '[]',
    "notes" TEXT NOT NULL DEFAULT '[]',
    "error" TEXT,
    "problems" TEXT NOT NULL DEFAULT '[]',
    "problemCount" INTEGER NOT NULL DEFAULT 0,
    "mapping" TEXT,
    "endsAbsent" BOOLEAN NOT NULL DEFAULT true,
    "createdById" TEXT NOT NULL,
    "committedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "committedAt" TIMESTAMP(3),

    CONSTRAINT "DirectoryImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectoryImportRow" (
    "id" TEXT NOT NULL,
    "importId" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "outcome" "DirectoryRowOutcome" NOT NULL,
    "reason" TEXT,
    "endsMembership" BOOLEAN NOT NULL DEFAULT false,
    "districtId" TEXT,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "email" TEXT,
    "kind" "PersonKind",
    "personId" TEXT,
    "changes" TEXT,
    "memberships" TEXT,
    "reviewState" "ReviewState",
    "reviewedById" TEXT,
    "reviewedAt" TIMESTAMP(3),

    CONSTRAINT "DirectoryImportRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectoryImportMembership" (
    "importId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL,
    "change" "MembershipChange" NOT NULL,
    "title" TEXT,
    "affiliationId" TEXT,

    CONSTRAINT "DirectoryImportMembership_pkey" PRIMARY KEY ("importId","personId","schoolId")
);

-- CreateTable
CREATE TABLE "PersonMerge" (
    "id" TEXT NOT NULL,
    "survivorId" TEXT NOT NULL,
    "mergedId" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "copied" TEXT NOT NULL DEFAULT '{}',
    "mergedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoneAt" TIMESTAMP(3),
    "undoneById" TEXT,

    CONSTRAINT "PersonMerge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuplicateDismissal" (
    "id" TEXT NOT NULL,
    "personAId" TEXT NOT NULL,
    "personBId" TEXT NOT NULL,
    "dismissedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DuplicateDismissal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInLink" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "userId" TEXT,
    "redirectTo" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignInLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateDelivery" (
    "id" TEXT NOT NULL,
    "certificationId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "toAddress" TEXT,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "channel" TEXT,
    "requestedById" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CertificateDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduledRun" (
    "job" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "instance" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ScheduledRun_pkey" PRIMARY KEY ("job","windowStart")
);

-- CreateIndex
CREATE UNIQUE INDEX "Region_code_key" ON "Region"("code");

-- CreateIndex
CREATE UNIQUE INDEX "School_code_key" ON "School"("code");

-- CreateIndex
CREATE INDEX "School_regionId_idx" ON "School"("regionId");

-- CreateIndex
CREATE INDEX "School_name_idx" ON "School"("name");

-- CreateIndex
CREATE INDEX "Headcount_schoolYear_idx" ON "Headcount"("schoolYear");

-- CreateIndex
CREATE UNIQUE INDEX "Headcount_schoolId_schoolYear_key" ON "Headcount"("schoolId", "schoolYear");

-- CreateIndex
CREATE UNIQUE INDEX "Person_districtId_key" ON "Person"("districtId");

-- CreateIndex
CREATE INDEX "Person_lastName_firstName_idx" ON "Person"("lastName", "firstName");

-- CreateIndex
CREATE INDEX "Person_email_idx" ON "Person"("email");

-- CreateIndex
CREATE INDEX "Person_kind_idx" ON "Person"("kind");

-- CreateIndex
CREATE INDEX "Person_mergedIntoId_idx" ON "Person"("mergedIntoId");

-- CreateIndex
CREATE INDEX "Affiliation_schoolId_schoolYear_idx" ON "Affiliation"("schoolId", "schoolYear");

-- CreateIndex
CREATE INDEX "Affiliation_schoolYear_schoolId_personId_idx" ON "Affiliation"("schoolYear", "schoolId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "Affiliation_personId_schoolId_schoolYear_key" ON "Affiliation"("personId", "schoolId", "schoolYear");

-- CreateIndex
CREATE UNIQUE INDEX "Program_code_key" ON "Program"("code");

-- CreateIndex
CREATE INDEX "TrainingSession_programId_idx" ON "TrainingSession"("programId");

-- CreateIndex
CREATE INDEX "TrainingSession_schoolId_idx" ON "TrainingSession"("schoolId");

-- CreateIndex
CREATE INDEX "TrainingSession_status_idx" ON "TrainingSession"("status");

-- CreateIndex
CREATE INDEX "SessionDay_sessionId_idx" ON "SessionDay"("sessionId");

-- CreateIndex
CREATE INDEX "SessionDay_startsAt_idx" ON "SessionDay"("startsAt");

-- CreateIndex
CREATE INDEX "SessionTrainer_userId_idx" ON "SessionTrainer"("userId");

-- CreateIndex
CREATE INDEX "Enrollment_personId_idx" ON "Enrollment"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Enrollment_sessionId_personId_key" ON "Enrollment"("sessionId", "personId");

-- CreateIndex
CREATE INDEX "Attendance_sessionDayId_idx" ON "Attendance"("sessionDayId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendance_enrollmentId_sessionDayId_key" ON "Attendance"("enrollmentId", "sessionDayId");

-- CreateIndex
CREATE UNIQUE INDEX "Certification_verificationCode_key" ON "Certification"("verificationCode");

-- CreateIndex
CREATE UNIQUE INDEX "Certification_renewedById_key" ON "Certification"("renewedById");

-- CreateIndex
CREATE INDEX "Certification_personId_programId_idx" ON "Certification"("personId", "programId");

-- CreateIndex
CREATE INDEX "Certification_programId_expiresOn_idx" ON "Certification"("programId", "expiresOn");

-- CreateIndex
CREATE INDEX "Certification_personId_programId_issuedOn_expiresOn_idx" ON "Certification"("personId", "programId", "issuedOn", "expiresOn");

-- CreateIndex
CREATE INDEX "Certification_programId_issuedOn_personId_idx" ON "Certification"("programId", "issuedOn", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "Certification_sessionId_personId_key" ON "Certification"("sessionId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_ssoSubject_key" ON "User"("ssoSubject");

-- CreateIndex
CREATE UNIQUE INDEX "User_personId_key" ON "User"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "User_calendarFeedToken_key" ON "User"("calendarFeedToken");

-- CreateIndex
CREATE INDEX "User_role_idx" ON "User"("role");

-- CreateIndex
CREATE INDEX "AuthSession_userId_idx" ON "AuthSession"("userId");

-- CreateIndex
CREATE INDEX "AuthSession_expiresAt_idx" ON "AuthSession"("expiresAt");

-- CreateIndex
CREATE INDEX "SignInFailure_email_createdAt_idx" ON "SignInFailure"("email", "createdAt");

-- CreateIndex
CREATE INDEX "SignInFailure_ip_createdAt_idx" ON "SignInFailure"("ip", "createdAt");

-- CreateIndex
CREATE INDEX "SignInFailure_createdAt_idx" ON "SignInFailure"("createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_entityType_entityId_idx" ON "AuditEvent"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- CreateIndex
CREATE INDEX "ReminderDelivery_status_dueOn_idx" ON "ReminderDelivery"("status", "dueOn");

-- CreateIndex
CREATE UNIQUE INDEX "ReminderDelivery_certificationId_daysBefore_key" ON "ReminderDelivery"("certificationId", "daysBefore");

-- CreateIndex
CREATE INDEX "OutboxMessage_createdAt_idx" ON "OutboxMessage"("createdAt");

-- CreateIndex
CREATE INDEX "CheckInWalkIn_sessionDayId_decision_idx" ON "CheckInWalkIn"("sessionDayId", "decision");

-- CreateIndex
CREATE INDEX "CheckInWalkIn_personId_idx" ON "CheckInWalkIn"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "CheckInWalkIn_sessionDayId_identityKey_key" ON "CheckInWalkIn"("sessionDayId", "identityKey");

-- CreateIndex
CREATE INDEX "RateLimitCounter_expiresAt_idx" ON "RateLimitCounter"("expiresAt");

-- CreateIndex
CREATE INDEX "DirectoryImport_createdAt_idx" ON "DirectoryImport"("createdAt");

-- CreateIndex
CREATE INDEX "DirectoryImport_status_idx" ON "DirectoryImport"("status");

-- CreateIndex
CREATE INDEX "DirectoryImportRow_importId_outcome_line_idx" ON "DirectoryImportRow"("importId", "outcome", "line");

-- CreateIndex
CREATE INDEX "DirectoryImportRow_outcome_reviewState_idx" ON "DirectoryImportRow"("outcome", "reviewState");

-- CreateIndex
CREATE INDEX "DirectoryImportRow_importId_personId_idx" ON "DirectoryImportRow"("importId", "personId");

-- CreateIndex
CREATE INDEX "DirectoryImportMembership_importId_change_idx" ON "DirectoryImportMembership"("importId", "change");

-- CreateIndex
CREATE INDEX "PersonMerge_survivorId_idx" ON "PersonMerge"("survivorId");

-- CreateIndex
CREATE INDEX "PersonMerge_mergedId_idx" ON "PersonMerge"("mergedId");

-- CreateIndex
CREATE UNIQUE INDEX "DuplicateDismissal_personAId_personBId_key" ON "DuplicateDismissal"("personAId", "personBId");

-- CreateIndex
CREATE UNIQUE INDEX "SignInLink_tokenHash_key" ON "SignInLink"("tokenHash");

-- CreateIndex
CREATE INDEX "SignInLink_email_createdAt_idx" ON "SignInLink"("email", "createdAt");

-- CreateIndex
CREATE INDEX "SignInLink_expiresAt_idx" ON "SignInLink"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateDelivery_certificationId_key" ON "CertificateDelivery"("certificationId");

-- CreateIndex
CREATE INDEX "CertificateDelivery_sessionId_idx" ON "CertificateDelivery"("sessionId");

-- CreateIndex
CREATE INDEX "CertificateDelivery_status_createdAt_idx" ON "CertificateDelivery"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "School" ADD CONSTRAINT "School_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Headcount" ADD CONSTRAINT "Headcount_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Affiliation" ADD CONSTRAINT "Affiliation_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Affiliation" ADD CONSTRAINT "Affiliation_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingSession" ADD CONSTRAINT "TrainingSession_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingSession" ADD CONSTRAINT "TrainingSession_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingSession" ADD CONSTRAINT "TrainingSession_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionDay" ADD CONSTRAINT "SessionDay_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionTrainer" ADD CONSTRAINT "SessionTrainer_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionTrainer" ADD CONSTRAINT "SessionTrainer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_enrollmentId_fkey" FOREIGN KEY ("enrollmentId") REFERENCES "Enrollment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_sessionDayId_fkey" FOREIGN KEY ("sessionDayId") REFERENCES "SessionDay"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certification" ADD CONSTRAINT "Certification_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certification" ADD CONSTRAINT "Certification_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certification" ADD CONSTRAINT "Certification_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certification" ADD CONSTRAINT "Certification_renewedById_fkey" FOREIGN KEY ("renewedById") REFERENCES "Certification"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Goal" ADD CONSTRAINT "Goal_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Goal" ADD CONSTRAINT "Goal_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Goal" ADD CONSTRAINT "Goal_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Goal" ADD CONSTRAINT "Goal_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoordinatorSchool" ADD CONSTRAINT "CoordinatorSchool_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoordinatorSchool" ADD CONSTRAINT "CoordinatorSchool_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthSession" ADD CONSTRAINT "AuthSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReminderDelivery" ADD CONSTRAINT "ReminderDelivery_certificationId_fkey" FOREIGN KEY ("certificationId") REFERENCES "Certification"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInWalkIn" ADD CONSTRAINT "CheckInWalkIn_sessionDayId_fkey" FOREIGN KEY ("sessionDayId") REFERENCES "SessionDay"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInWalkIn" ADD CONSTRAINT "CheckInWalkIn_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInWalkIn" ADD CONSTRAINT "CheckInWalkIn_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectoryImport" ADD CONSTRAINT "DirectoryImport_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectoryImportRow" ADD CONSTRAINT "DirectoryImportRow_importId_fkey" FOREIGN KEY ("importId") REFERENCES "DirectoryImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirectoryImportMembership" ADD CONSTRAINT "DirectoryImportMembership_importId_fkey" FOREIGN KEY ("importId") REFERENCES "DirectoryImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonMerge" ADD CONSTRAINT "PersonMerge_survivorId_fkey" FOREIGN KEY ("survivorId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonMerge" ADD CONSTRAINT "PersonMerge_mergedId_fkey" FOREIGN KEY ("mergedId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateDelivery" ADD CONSTRAINT "CertificateDelivery_certificationId_fkey" FOREIGN KEY ("certificationId") REFERENCES "Certification"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Triggers (written by hand; Prisma does not model them): queue the people whose reach rollup rows a
-- write changes, as prisma/migrations/20261124000000_reach_rollups does on SQLite. Every reach read
-- applies the queue before it counts, so the rollup is exact on every write, whichever code path wrote.
CREATE FUNCTION "reach_dirty_by_person_id"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO "ReachDirty" ("personId") VALUES (OLD."personId") ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "ReachDirty" ("personId") VALUES (NEW."personId") ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ReachDirty_Certification" AFTER INSERT OR DELETE OR UPDATE OF "personId", "programId", "issuedOn", "expiresOn"
  ON "Certification" FOR EACH ROW EXECUTE FUNCTION "reach_dirty_by_person_id"();

CREATE TRIGGER "ReachDirty_Affiliation" AFTER INSERT OR DELETE OR UPDATE OF "personId", "schoolId", "schoolYear"
  ON "Affiliation" FOR EACH ROW EXECUTE FUNCTION "reach_dirty_by_person_id"();

CREATE FUNCTION "reach_dirty_person"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO "ReachDirty" ("personId") VALUES (NEW."id") ON CONFLICT DO NOTHING;
    IF NEW."mergedIntoId" IS NOT NULL THEN
      INSERT INTO "ReachDirty" ("personId") VALUES (NEW."mergedIntoId") ON CONFLICT DO NOTHING;
    END IF;
  ELSE
    INSERT INTO "ReachDirty" ("personId") VALUES (OLD."id") ON CONFLICT DO NOTHING;
  END IF;
  IF OLD."mergedIntoId" IS NOT NULL THEN
    INSERT INTO "ReachDirty" ("personId") VALUES (OLD."mergedIntoId") ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ReachDirty_Person" AFTER DELETE OR UPDATE OF "kind", "mergedIntoId"
  ON "Person" FOR EACH ROW EXECUTE FUNCTION "reach_dirty_person"();

CREATE FUNCTION "reach_dirty_school_region"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ReachDirty" ("personId")
    SELECT DISTINCT "personId" FROM "Affiliation" WHERE "schoolId" = NEW."id"
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ReachDirty_School_region" AFTER UPDATE OF "regionId"
  ON "School" FOR EACH ROW EXECUTE FUNCTION "reach_dirty_school_region"();
