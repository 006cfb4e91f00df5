-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "publishedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Article_brandId_publishedAt_idx" ON "Article"("brandId", "publishedAt");
