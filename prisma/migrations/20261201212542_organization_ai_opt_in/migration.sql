-- CreateEnum
CREATE TYPE "AiProvider" AS ENUM ('ANTHROPIC', 'OPENAI');

-- AlterTable
ALTER TABLE "OrganizationSettings" ADD COLUMN     "aiImageModel" TEXT,
ADD COLUMN     "aiImagesEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "aiProvider" "AiProvider",
ADD COLUMN     "aiTextEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "aiTextModel" TEXT;

-- Organizations that exist already have been generating posts with AI (aiEnabled was on by
-- default and nothing could turn it off): they keep text generation. Images are new and start
-- off for everyone, and new organizations start with both off.
UPDATE "OrganizationSettings" SET "aiTextEnabled" = "aiEnabled";

ALTER TABLE "OrganizationSettings" DROP COLUMN "aiEnabled";
