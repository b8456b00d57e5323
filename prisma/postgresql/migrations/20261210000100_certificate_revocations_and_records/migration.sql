-- Certificates issued by mistake can be revoked (kept, no longer valid), and certificates earned elsewhere
-- recorded without a session (as prisma/migrations/20261210000100_certificate_revocations_and_records on SQLite).

-- AlterTable (in the schema's column order)
ALTER TABLE "Certification" ADD COLUMN "revokedAt" TIMESTAMP(3),
ADD COLUMN "revokedById" TEXT,
ADD COLUMN "revokedReason" TEXT,
ADD COLUMN "source" TEXT,
ADD COLUMN "evidenceNote" TEXT;

-- Reach leaves revoked certificates out, from the index alone: revokedAt joins the two reach indexes.
-- DropIndex
DROP INDEX "Certification_personId_programId_issuedOn_expiresOn_idx";
-- DropIndex
DROP INDEX "Certification_programId_issuedOn_personId_idx";
-- CreateIndex
CREATE INDEX "Certification_personId_programId_issuedOn_expiresOn_revoked_idx" ON "Certification"("personId", "programId", "issuedOn", "expiresOn", "revokedAt");
-- CreateIndex
CREATE INDEX "Certification_programId_issuedOn_personId_revokedAt_idx" ON "Certification"("programId", "issuedOn", "personId", "revokedAt");

-- AddForeignKey
ALTER TABLE "Certification" ADD CONSTRAINT "Certification_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A revocation changes the person's reach: the trigger also fires on "revokedAt"
-- (prisma/postgresql/migrations/20261208000000_init).
DROP TRIGGER "ReachDirty_Certification" ON "Certification";
CREATE TRIGGER "ReachDirty_Certification" AFTER INSERT OR DELETE OR UPDATE OF "personId", "programId", "issuedOn", "expiresOn", "revokedAt"
  ON "Certification" FOR EACH ROW EXECUTE FUNCTION "reach_dirty_by_person_id"();
