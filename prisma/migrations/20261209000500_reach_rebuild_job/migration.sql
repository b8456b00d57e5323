-- CreateTable
CREATE TABLE "ReachRebuild" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "peopleDone" INTEGER NOT NULL DEFAULT 0,
    "peopleTotal" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT
);
