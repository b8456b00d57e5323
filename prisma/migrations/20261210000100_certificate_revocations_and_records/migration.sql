-- Certificates issued by mistake can be revoked (kept, no longer valid), and certificates earned elsewhere
-- recorded without a session. Columns are added in place: redefining "Certification" would drop its reach
-- triggers.

-- AlterTable
ALTER TABLE "Certification" ADD COLUMN "revokedAt" DATETIME;
ALTER TABLE "Certification" ADD COLUMN "revokedById" TEXT REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Certification" ADD COLUMN "revokedReason" TEXT;
ALTER TABLE "Certification" ADD COLUMN "source" TEXT;
ALTER TABLE "Certification" ADD COLUMN "evidenceNote" TEXT;

-- Reach leaves revoked certificates out, from the index alone: revokedAt joins the two reach indexes.
-- DropIndex
DROP INDEX "Certification_personId_programId_issuedOn_expiresOn_idx";
-- DropIndex
DROP INDEX "Certification_programId_issuedOn_personId_idx";
-- CreateIndex
CREATE INDEX "Certification_personId_programId_issuedOn_expiresOn_revokedAt_idx" ON "Certification"("personId", "programId", "issuedOn", "expiresOn", "revokedAt");
-- CreateIndex
CREATE INDEX "Certification_programId_issuedOn_personId_revokedAt_idx" ON "Certification"("programId", "issuedOn", "personId", "revokedAt");

-- A revocation changes the person's reach: the update trigger also fires on "revokedAt"
-- (prisma/migrations/20261124000000_reach_rollups).
DROP TRIGGER "ReachDirty_Certification_update";
CREATE TRIGGER "ReachDirty_Certification_update" AFTER UPDATE OF "personId", "programId", "issuedOn", "expiresOn", "revokedAt" ON "Certification" BEGIN
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (OLD."personId");
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (NEW."personId");
END;
