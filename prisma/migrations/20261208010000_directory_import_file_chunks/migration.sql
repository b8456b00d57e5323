-- CreateTable
CREATE TABLE "DirectoryImportFileChunk" (
    "importId" TEXT NOT NULL,
    "storedAs" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("importId", "storedAs", "seq"),
    CONSTRAINT "DirectoryImportFileChunk_importId_fkey" FOREIGN KEY ("importId") REFERENCES "DirectoryImport" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

