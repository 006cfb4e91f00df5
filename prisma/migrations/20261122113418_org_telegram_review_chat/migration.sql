-- AlterTable
ALTER TABLE "OrganizationSettings" ADD COLUMN     "telegramReviewChatId" TEXT;
