-- AlterTable
ALTER TABLE "Post" ADD COLUMN     "approvalsResetAt" TIMESTAMP(3);
