-- (As prisma/migrations/20261212000200_school_safety_protocol on SQLite.)
-- Teen MHFA readiness: 10% of staff with YMHFA and a safety protocol in place (../shared/docs/domain.md).

-- AlterTable
ALTER TABLE "School" ADD COLUMN "safetyProtocolSince" TIMESTAMP(3);
