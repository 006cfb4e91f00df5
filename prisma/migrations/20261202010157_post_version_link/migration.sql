-- AlterTable
ALTER TABLE "PostVersion" ADD COLUMN     "link" TEXT;
