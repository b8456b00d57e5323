-- AlterTable
ALTER TABLE "Program" ADD COLUMN "hours" REAL;

-- CreateTable
CREATE TABLE "SignInLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "userId" TEXT,
    "redirectTo" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CertificateDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "certificationId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "toAddress" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "channel" TEXT,
    "requestedById" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CertificateDelivery_certificationId_fkey" FOREIGN KEY ("certificationId") REFERENCES "Certification" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Person gains a column in place: redefining it would drop the reach triggers on "Person".
ALTER TABLE "Person" ADD COLUMN "language" TEXT NOT NULL DEFAULT 'en';

-- RedefineTables (User: email and passwordHash become optional; no triggers on it)
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "ssoSubject" TEXT,
    "welcomedAt" DATETIME,
    "role" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "personId" TEXT,
    "lastSignedInAt" DATETIME,
    "rosterImportMapping" TEXT,
    "directoryImportMapping" TEXT,
    "calendarFeedToken" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "User_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_User" ("active", "calendarFeedToken", "createdAt", "directoryImportMapping", "email", "id", "lastSignedInAt", "name", "passwordHash", "personId", "role", "rosterImportMapping", "updatedAt") SELECT "active", "calendarFeedToken", "createdAt", "directoryImportMapping", "email", "id", "lastSignedInAt", "name", "passwordHash", "personId", "role", "rosterImportMapping", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "User_ssoSubject_key" ON "User"("ssoSubject");
CREATE UNIQUE INDEX "User_personId_key" ON "User"("personId");
CREATE UNIQUE INDEX "User_calendarFeedToken_key" ON "User"("calendarFeedToken");
CREATE INDEX "User_role_idx" ON "User"("role");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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


-- Directory imports: a delta file ends the memberships of the users it marks tobedeleted or disabled.
ALTER TABLE "DirectoryImportRow" ADD COLUMN "endsMembership" BOOLEAN NOT NULL DEFAULT false;
