-- People by kind, merged records left out: kind first (docs/decisions/018-query-plans-at-scale.md).
-- DropIndex
DROP INDEX "Person_mergedIntoId_kind_idx";
-- DropIndex
DROP INDEX "Person_kind_idx";
-- CreateIndex
CREATE INDEX "Person_kind_mergedIntoId_idx" ON "Person"("kind", "mergedIntoId");
