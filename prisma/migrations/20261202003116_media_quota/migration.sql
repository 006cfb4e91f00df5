-- AlterTable
ALTER TABLE "OrganizationSettings" ADD COLUMN     "mediaQuotaBytes" BIGINT;
