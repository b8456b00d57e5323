-- Who each audit event is about, so a person's history is read from an index instead of searching every
-- event's details text for their id.

-- CreateTable
CREATE TABLE "AuditEventPerson" (
    "eventId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("eventId", "personId"),
    CONSTRAINT "AuditEventPerson_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AuditEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "AuditEventPerson_personId_createdAt_idx" ON "AuditEventPerson"("personId", "createdAt");

-- The events recorded so far: the person they are about, and every person id anywhere in their details
-- (as app/models/audit.server.ts finds them for new events).
INSERT OR IGNORE INTO "AuditEventPerson" ("eventId", "personId", "createdAt")
SELECT e."id", p."id", e."createdAt"
FROM "AuditEvent" e JOIN "Person" p ON p."id" = e."entityId"
WHERE e."entityType" = 'Person';

INSERT OR IGNORE INTO "AuditEventPerson" ("eventId", "personId", "createdAt")
SELECT DISTINCT e."id", p."id", e."createdAt"
FROM "AuditEvent" e, json_tree(CASE WHEN json_valid(e."details") THEN e."details" ELSE '{}' END) j
JOIN "Person" p ON p."id" = j."value"
WHERE j."type" = 'text';
