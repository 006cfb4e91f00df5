-- AlterTable
ALTER TABLE "Brand" ADD COLUMN     "imageStyle" TEXT NOT NULL DEFAULT '';
