-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "heroMediaId" TEXT;

-- AlterTable
ALTER TABLE "Media" ADD COLUMN     "aiImageSettings" JSONB,
ADD COLUMN     "aiPrompt" TEXT;

-- AlterTable
ALTER TABLE "Slide" ADD COLUMN     "backgroundMediaId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Article_heroMediaId_key" ON "Article"("heroMediaId");

-- AddForeignKey
ALTER TABLE "Article" ADD CONSTRAINT "Article_heroMediaId_fkey" FOREIGN KEY ("heroMediaId") REFERENCES "Media"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Slide" ADD CONSTRAINT "Slide_backgroundMediaId_fkey" FOREIGN KEY ("backgroundMediaId") REFERENCES "Media"("id") ON DELETE SET NULL ON UPDATE CASCADE;
