-- An instructor may need a current certificate of the program they teach (a YMHFA instructor an
-- active First Aider certificate: ../shared/docs/domain.md, docs/decisions/023-instructors.md).

-- AlterTable
ALTER TABLE "Program" ADD COLUMN "instructorNeedsCertificate" BOOLEAN NOT NULL DEFAULT false;

UPDATE "Program" SET "instructorNeedsCertificate" = true WHERE "code" = 'YMHFA';
