-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "unpublishedAt" TIMESTAMP(3);
