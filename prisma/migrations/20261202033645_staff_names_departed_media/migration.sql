-- AlterTable
ALTER TABLE "MediaAsset" ADD COLUMN     "deleteAfter" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "firstName" TEXT,
ADD COLUMN     "lastName" TEXT;

-- AlterTable
ALTER TABLE "OrganizationSettings" ADD COLUMN     "departedMemberMediaRetentionDays" INTEGER NOT NULL DEFAULT 30;

-- CreateIndex
CREATE INDEX "MediaAsset_deleteAfter_idx" ON "MediaAsset"("deleteAfter");
