-- AlterTable
ALTER TABLE "Media" ADD COLUMN     "mediaAssetId" TEXT;

-- CreateIndex
CREATE INDEX "Media_mediaAssetId_idx" ON "Media"("mediaAssetId");

-- AddForeignKey
ALTER TABLE "Media" ADD CONSTRAINT "Media_mediaAssetId_fkey" FOREIGN KEY ("mediaAssetId") REFERENCES "MediaAsset"("id") ON DELETE SET NULL ON UPDATE CASCADE;
