-- Session mail gets a table of its own (as prisma/migrations/20261211000300_session_mail on SQLite).

-- CreateTable
CREATE TABLE "SessionMail" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "toAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "textBody" TEXT NOT NULL,
    "htmlBody" TEXT NOT NULL,
    "calendars" TEXT NOT NULL DEFAULT '[]',
    "status" "ReminderStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "claimedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "channel" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionMail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SessionMail_status_createdAt_idx" ON "SessionMail"("status", "createdAt");
-- CreateIndex
CREATE INDEX "SessionMail_sessionId_idx" ON "SessionMail"("sessionId");

-- AddForeignKey
ALTER TABLE "SessionMail" ADD CONSTRAINT "SessionMail_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Mail still waiting in the outbox under the old scheme stays there, for an administrator to read.
UPDATE "OutboxMessage" SET "id" = 'sessmail-kept:' || substr("id", length('sessmail:') + 1) WHERE "id" LIKE 'sessmail:%';
