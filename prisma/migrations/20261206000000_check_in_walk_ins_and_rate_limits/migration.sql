-- CreateTable
CREATE TABLE "CheckInWalkIn" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionDayId" TEXT NOT NULL,
    "identityKey" TEXT NOT NULL,
    "districtId" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decision" TEXT,
    "decidedAt" DATETIME,
    "decidedById" TEXT,
    "personId" TEXT,
    CONSTRAINT "CheckInWalkIn_sessionDayId_fkey" FOREIGN KEY ("sessionDayId") REFERENCES "SessionDay" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CheckInWalkIn_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "CheckInWalkIn_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RateLimitCounter" (
    "key" TEXT NOT NULL,
    "windowStart" BIGINT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" BIGINT NOT NULL,

    PRIMARY KEY ("key", "windowStart")
);

-- CreateIndex
CREATE INDEX "CheckInWalkIn_sessionDayId_decision_idx" ON "CheckInWalkIn"("sessionDayId", "decision");

-- CreateIndex
CREATE INDEX "CheckInWalkIn_personId_idx" ON "CheckInWalkIn"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "CheckInWalkIn_sessionDayId_identityKey_key" ON "CheckInWalkIn"("sessionDayId", "identityKey");

-- CreateIndex
CREATE INDEX "RateLimitCounter_expiresAt_idx" ON "RateLimitCounter"("expiresAt");

