-- A digest claimed by a pass that died is taken over after 15 minutes: the claim has a time.

-- AlterTable
ALTER TABLE "CoordinatorDigest" ADD COLUMN "claimedAt" DATETIME;
