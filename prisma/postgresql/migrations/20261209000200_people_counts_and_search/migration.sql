-- CreateIndex
CREATE INDEX "Person_mergedIntoId_kind_idx" ON "Person"("mergedIntoId", "kind");

-- The people directory's word search stays a scan of "Person" with ILIKE here; SQLite's migration adds a trigram
-- index for it (FTS5), which has no counterpart in the schema (pg_trgm would be its equivalent).
