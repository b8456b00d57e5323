-- Session mail gets a table of its own: its state was kept in outbox rows' ids ("sessmail:…").

-- CreateTable
CREATE TABLE "SessionMail" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "toAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "textBody" TEXT NOT NULL,
    "htmlBody" TEXT NOT NULL,
    "calendars" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "claimedAt" DATETIME,
    "sentAt" DATETIME,
    "channel" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SessionMail_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SessionMail_status_createdAt_idx" ON "SessionMail"("status", "createdAt");
-- CreateIndex
CREATE INDEX "SessionMail_sessionId_idx" ON "SessionMail"("sessionId");

-- Mail still waiting in the outbox under the old scheme stays there: delivered copies are outbox messages
-- already, and a waiting or claimed one is kept for an administrator to read rather than lost.
UPDATE "OutboxMessage" SET "id" = 'sessmail-kept:' || substr("id", length('sessmail:') + 1) WHERE "id" LIKE 'sessmail:%';
