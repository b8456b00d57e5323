-- DropIndex
DROP INDEX "TrainingSession_status_idx";

-- CreateIndex
CREATE INDEX "TrainingSession_createdAt_id_idx" ON "TrainingSession"("createdAt", "id");

-- CreateIndex
CREATE INDEX "TrainingSession_status_createdAt_id_idx" ON "TrainingSession"("status", "createdAt", "id");
