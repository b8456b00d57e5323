-- Who each audit event is about (as prisma/migrations/20261211000200_audit_event_people on SQLite).

-- CreateTable
CREATE TABLE "AuditEventPerson" (
    "eventId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuditEventPerson_pkey" PRIMARY KEY ("eventId","personId")
);

-- CreateIndex
CREATE INDEX "AuditEventPerson_personId_createdAt_idx" ON "AuditEventPerson"("personId", "createdAt");

-- AddForeignKey
ALTER TABLE "AuditEventPerson" ADD CONSTRAINT "AuditEventPerson_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AuditEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The events recorded so far: the person they are about, and every person id anywhere in their details.
INSERT INTO "AuditEventPerson" ("eventId", "personId", "createdAt")
SELECT e."id", p."id", e."createdAt"
FROM "AuditEvent" e JOIN "Person" p ON p."id" = e."entityId"
WHERE e."entityType" = 'Person'
ON CONFLICT DO NOTHING;

INSERT INTO "AuditEventPerson" ("eventId", "personId", "createdAt")
SELECT DISTINCT e."id", p."id", e."createdAt"
FROM "AuditEvent" e
CROSS JOIN LATERAL jsonb_path_query(e."details"::jsonb, 'strict $.**') AS v(value)
JOIN "Person" p ON p."id" = (v.value #>> '{}')
WHERE jsonb_typeof(v.value) = 'string'
ON CONFLICT DO NOTHING;
