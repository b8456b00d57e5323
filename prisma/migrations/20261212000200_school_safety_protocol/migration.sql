-- Teen MHFA readiness: 10% of staff with YMHFA and a safety protocol in place (../shared/docs/domain.md).

-- AlterTable
ALTER TABLE "School" ADD COLUMN "safetyProtocolSince" DATETIME;
