-- CreateTable
CREATE TABLE "DirectoryImportFileChunk" (
    "importId" TEXT NOT NULL,
    "storedAs" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "DirectoryImportFileChunk_pkey" PRIMARY KEY ("importId","storedAs","seq")
);

-- AddForeignKey
ALTER TABLE "DirectoryImportFileChunk" ADD CONSTRAINT "DirectoryImportFileChunk_importId_fkey" FOREIGN KEY ("importId") REFERENCES "DirectoryImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

