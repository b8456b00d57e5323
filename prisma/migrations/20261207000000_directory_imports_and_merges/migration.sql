-- AlterTable
ALTER TABLE "User" ADD COLUMN "directoryImportMapping" TEXT;

-- CreateTable
CREATE TABLE "DirectoryImport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "format" TEXT NOT NULL,
    "schoolYear" INTEGER NOT NULL,
    "fileNames" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'STAGING',
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "committedAt" DATETIME,
    CONSTRAINT "DirectoryImport_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DirectoryImportRow" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "importId" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "districtId" TEXT,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "email" TEXT,
    "kind" TEXT,
    "personId" TEXT,
    "changes" TEXT,
    "memberships" TEXT,
    "reviewState" TEXT,
    "reviewedById" TEXT,
    "reviewedAt" DATETIME,
    CONSTRAINT "DirectoryImportRow_importId_fkey" FOREIGN KEY ("importId") REFERENCES "DirectoryImport" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DirectoryImportMembership" (
    "importId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "title" TEXT,
    "affiliationId" TEXT,

    PRIMARY KEY ("importId", "personId", "schoolId"),
    CONSTRAINT "DirectoryImportMembership_importId_fkey" FOREIGN KEY ("importId") REFERENCES "DirectoryImport" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PersonMerge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "survivorId" TEXT NOT NULL,
    "mergedId" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "copied" TEXT NOT NULL DEFAULT '{}',
    "mergedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoneAt" DATETIME,
    "undoneById" TEXT,
    CONSTRAINT "PersonMerge_survivorId_fkey" FOREIGN KEY ("survivorId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "PersonMerge_mergedId_fkey" FOREIGN KEY ("mergedId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DuplicateDismissal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personAId" TEXT NOT NULL,
    "personBId" TEXT NOT NULL,
    "dismissedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

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

