-- AlterTable
ALTER TABLE "SessionDay" ADD COLUMN "checkInNonce" TEXT;
ALTER TABLE "SessionDay" ADD COLUMN "checkInOpenedAt" DATETIME;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "rosterImportMapping" TEXT;

