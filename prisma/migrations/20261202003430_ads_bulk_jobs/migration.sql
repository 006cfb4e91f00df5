-- CreateEnum
CREATE TYPE "AdsObjectLevel" AS ENUM ('CAMPAIGN', 'ADGROUP', 'AD');

-- CreateEnum
CREATE TYPE "AdsBulkAction" AS ENUM ('ENABLE', 'PAUSE', 'SET_BUDGET');

-- CreateEnum
CREATE TYPE "AdsBulkJobStatus" AS ENUM ('PREVIEW', 'RUNNING', 'SUCCEEDED', 'PARTIALLY_FAILED');

-- CreateEnum
CREATE TYPE "AdsBulkItemStatus" AS ENUM ('PENDING', 'DONE', 'FAILED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "AdsBulkChunkState" AS ENUM ('PLANNED', 'SENDING', 'SETTLED');

-- CreateTable
CREATE TABLE "AdsBulkJob" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "level" "AdsObjectLevel" NOT NULL,
    "action" "AdsBulkAction" NOT NULL,
    "budget" DECIMAL(18,2),
    "status" "AdsBulkJobStatus" NOT NULL DEFAULT 'PREVIEW',
    "run" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsBulkJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdsBulkItem" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "platformAdvertiserId" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "previousStatus" TEXT NOT NULL,
    "previousBudget" DECIMAL(18,2),
    "status" "AdsBulkItemStatus" NOT NULL,
    "message" TEXT,
    "errorCode" TEXT,
    "requestId" TEXT,
    "run" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsBulkItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdsBulkChunk" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "run" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "platformAdvertiserId" TEXT NOT NULL,
    "platformIds" TEXT[],
    "state" "AdsBulkChunkState" NOT NULL DEFAULT 'PLANNED',
    "sends" INTEGER NOT NULL DEFAULT 0,
    "requestId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "AdsBulkChunk_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdsBulkJob_organizationId_createdAt_idx" ON "AdsBulkJob"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "AdsBulkItem_jobId_status_idx" ON "AdsBulkItem"("jobId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AdsBulkItem_jobId_platformId_key" ON "AdsBulkItem"("jobId", "platformId");

-- CreateIndex
CREATE UNIQUE INDEX "AdsBulkChunk_jobId_run_position_key" ON "AdsBulkChunk"("jobId", "run", "position");

-- AddForeignKey
ALTER TABLE "AdsBulkJob" ADD CONSTRAINT "AdsBulkJob_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsBulkJob" ADD CONSTRAINT "AdsBulkJob_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "AdsConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsBulkItem" ADD CONSTRAINT "AdsBulkItem_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "AdsBulkJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsBulkChunk" ADD CONSTRAINT "AdsBulkChunk_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "AdsBulkJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;
