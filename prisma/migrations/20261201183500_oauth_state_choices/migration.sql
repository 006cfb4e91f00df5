-- AlterTable
ALTER TABLE "OAuthState" ADD COLUMN     "choicesCiphertext" BYTEA;
