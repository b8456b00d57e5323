-- CreateTable
CREATE TABLE "ReachRebuild" (
    "id" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "peopleDone" INTEGER NOT NULL DEFAULT 0,
    "peopleTotal" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "ReachRebuild_pkey" PRIMARY KEY ("id")
);
