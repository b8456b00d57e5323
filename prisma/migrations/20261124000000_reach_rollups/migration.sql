-- CreateIndex
CREATE INDEX "Person_mergedIntoId_idx" ON "Person"("mergedIntoId");

-- CreateTable
CREATE TABLE "ReachRollup" (
    "schoolYear" INTEGER NOT NULL,
    "programId" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "scopeId" TEXT NOT NULL,
    "day" INTEGER NOT NULL,
    "staffCurrent" INTEGER NOT NULL DEFAULT 0,
    "staffExpiring" INTEGER NOT NULL DEFAULT 0,
    "staffYear" INTEGER NOT NULL DEFAULT 0,
    "staffEver" INTEGER NOT NULL DEFAULT 0,
    "studentCurrent" INTEGER NOT NULL DEFAULT 0,
    "studentExpiring" INTEGER NOT NULL DEFAULT 0,
    "studentYear" INTEGER NOT NULL DEFAULT 0,
    "studentEver" INTEGER NOT NULL DEFAULT 0,
    "communityCurrent" INTEGER NOT NULL DEFAULT 0,
    "communityExpiring" INTEGER NOT NULL DEFAULT 0,
    "communityYear" INTEGER NOT NULL DEFAULT 0,
    "communityEver" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("schoolYear", "programId", "level", "scopeId", "day")
);

-- CreateTable
CREATE TABLE "ReachPersonState" (
    "who" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "ReachDirty" (
    "personId" TEXT NOT NULL PRIMARY KEY
);


-- Triggers (written by hand; Prisma does not model them): queue the people whose reach rollup rows a
-- write changes. Every reach read applies the queue before it counts, so the rollup is exact on every
-- write, whichever code path wrote (app, seed, imports, raw SQL). SQLite syntax; on PostgreSQL these
-- become one trigger function per table (docs/decisions/005-reach-rollups.md).
CREATE TRIGGER "ReachDirty_Certification_insert" AFTER INSERT ON "Certification" BEGIN
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (NEW."personId");
END;

CREATE TRIGGER "ReachDirty_Certification_update" AFTER UPDATE OF "personId", "programId", "issuedOn", "expiresOn" ON "Certification" BEGIN
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (OLD."personId");
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (NEW."personId");
END;

CREATE TRIGGER "ReachDirty_Certification_delete" AFTER DELETE ON "Certification" BEGIN
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (OLD."personId");
END;

CREATE TRIGGER "ReachDirty_Affiliation_insert" AFTER INSERT ON "Affiliation" BEGIN
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (NEW."personId");
END;

CREATE TRIGGER "ReachDirty_Affiliation_update" AFTER UPDATE OF "personId", "schoolId", "schoolYear" ON "Affiliation" BEGIN
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (OLD."personId");
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (NEW."personId");
END;

CREATE TRIGGER "ReachDirty_Affiliation_delete" AFTER DELETE ON "Affiliation" BEGIN
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (OLD."personId");
END;

CREATE TRIGGER "ReachDirty_Person_update" AFTER UPDATE OF "kind", "mergedIntoId" ON "Person" BEGIN
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (NEW."id");
  INSERT OR IGNORE INTO "ReachDirty" ("personId") SELECT OLD."mergedIntoId" WHERE OLD."mergedIntoId" IS NOT NULL;
  INSERT OR IGNORE INTO "ReachDirty" ("personId") SELECT NEW."mergedIntoId" WHERE NEW."mergedIntoId" IS NOT NULL;
END;

CREATE TRIGGER "ReachDirty_Person_delete" AFTER DELETE ON "Person" BEGIN
  INSERT OR IGNORE INTO "ReachDirty" ("personId") VALUES (OLD."id");
  INSERT OR IGNORE INTO "ReachDirty" ("personId") SELECT OLD."mergedIntoId" WHERE OLD."mergedIntoId" IS NOT NULL;
END;

CREATE TRIGGER "ReachDirty_School_region" AFTER UPDATE OF "regionId" ON "School" BEGIN
  INSERT OR IGNORE INTO "ReachDirty" ("personId") SELECT DISTINCT "personId" FROM "Affiliation" WHERE "schoolId" = NEW."id";
END;

-- A database that already holds people: the first reach read builds their rows.
INSERT INTO "ReachDirty" ("personId") SELECT "id" FROM "Person";
