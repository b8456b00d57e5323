-- The audit page filters by who did it, newest first (app/models/audit-trail.server.ts).
-- CreateIndex
CREATE INDEX "AuditEvent_actorId_createdAt_idx" ON "AuditEvent"("actorId", "createdAt");
