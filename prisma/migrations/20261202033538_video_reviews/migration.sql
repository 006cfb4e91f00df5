-- CreateEnum
CREATE TYPE "VideoReviewStatus" AS ENUM ('RUNNING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "VideoReview" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "postId" TEXT NOT NULL,
    "postVersion" INTEGER NOT NULL,
    "mediaId" TEXT,
    "mediaAssetId" TEXT,
    "status" "VideoReviewStatus" NOT NULL DEFAULT 'RUNNING',
    "findings" JSONB NOT NULL DEFAULT '[]',
    "provider" TEXT,
    "model" TEXT,
    "failureReason" TEXT,
    "requestedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "VideoReview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "VideoReview_postId_createdAt_idx" ON "VideoReview"("postId", "createdAt");

-- CreateIndex
CREATE INDEX "VideoReview_organizationId_idx" ON "VideoReview"("organizationId");

-- AddForeignKey
ALTER TABLE "VideoReview" ADD CONSTRAINT "VideoReview_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoReview" ADD CONSTRAINT "VideoReview_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoReview" ADD CONSTRAINT "VideoReview_mediaId_fkey" FOREIGN KEY ("mediaId") REFERENCES "Media"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoReview" ADD CONSTRAINT "VideoReview_mediaAssetId_fkey" FOREIGN KEY ("mediaAssetId") REFERENCES "MediaAsset"("id") ON DELETE SET NULL ON UPDATE CASCADE;
