-- Indexes on columns that are NULL in nearly every row hold only the rows where they are not
-- (docs/decisions/018-query-plans-at-scale.md). SQLite's statistics count the NULLs as one value, and
-- without statistics an equality looks selective: either way "mergedIntoId IS NULL" or
-- "renewedById IS NULL" sought through a full index read nearly the whole table for one person.
-- A partial index cannot serve IS NULL, and still serves "= ?", "IN (…)" and "IS NOT NULL".
-- PostgreSQL keeps its full indexes: its statistics count NULLs apart (null_frac).

-- DropIndex
DROP INDEX "Person_mergedIntoId_idx";
-- CreateIndex
CREATE INDEX "Person_mergedIntoId_idx" ON "Person"("mergedIntoId") WHERE "mergedIntoId" IS NOT NULL;

-- DropIndex
DROP INDEX "Certification_renewedById_key";
-- CreateIndex
CREATE UNIQUE INDEX "Certification_renewedById_key" ON "Certification"("renewedById") WHERE "renewedById" IS NOT NULL;

-- People by kind, merged records left out: kind first, so that no search for "mergedIntoId IS NULL"
-- alone can use it; it also serves what the kind index did.
-- DropIndex
DROP INDEX "Person_mergedIntoId_kind_idx";
-- DropIndex
DROP INDEX "Person_kind_idx";
-- CreateIndex
CREATE INDEX "Person_kind_mergedIntoId_idx" ON "Person"("kind", "mergedIntoId");
