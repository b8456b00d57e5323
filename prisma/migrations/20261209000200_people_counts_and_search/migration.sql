-- CreateIndex
CREATE INDEX "Person_mergedIntoId_kind_idx" ON "Person"("mergedIntoId", "kind");

-- The people directory's word search: a word anywhere in a first name, last name or email. A trigram index
-- (FTS5) finds the people whose names contain a word of three or more characters without reading every person.
-- External content: the text stays in "Person" (by rowid, which nothing renumbers: the app never runs VACUUM),
-- and these triggers keep the index in step with every write, whichever code path made it.
CREATE VIRTUAL TABLE "PersonSearch" USING fts5("firstName", "lastName", "email", content='Person', tokenize='trigram');
INSERT INTO "PersonSearch"("PersonSearch") VALUES ('rebuild');

CREATE TRIGGER "PersonSearch_insert" AFTER INSERT ON "Person" BEGIN
  INSERT INTO "PersonSearch"(rowid, "firstName", "lastName", "email") VALUES (NEW.rowid, NEW."firstName", NEW."lastName", NEW."email");
END;

CREATE TRIGGER "PersonSearch_delete" AFTER DELETE ON "Person" BEGIN
  INSERT INTO "PersonSearch"("PersonSearch", rowid, "firstName", "lastName", "email") VALUES ('delete', OLD.rowid, OLD."firstName", OLD."lastName", OLD."email");
END;

CREATE TRIGGER "PersonSearch_update" AFTER UPDATE OF "firstName", "lastName", "email" ON "Person" BEGIN
  INSERT INTO "PersonSearch"("PersonSearch", rowid, "firstName", "lastName", "email") VALUES ('delete', OLD.rowid, OLD."firstName", OLD."lastName", OLD."email");
  INSERT INTO "PersonSearch"(rowid, "firstName", "lastName", "email") VALUES (NEW.rowid, NEW."firstName", NEW."lastName", NEW."email");
END;
