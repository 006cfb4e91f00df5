-- CreateEnum
CREATE TYPE "AdsAlertKind" AS ENUM ('DAILY_SPEND_ABOVE', 'COST_PER_CONVERSION_ABOVE', 'AD_REJECTED', 'CONNECTION_BROKEN');

-- CreateTable
CREATE TABLE "AdsAlertRule" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AdsAlertKind" NOT NULL,
    "thresholdCents" BIGINT,
    "advertiserIds" TEXT[],
    "channels" "NotificationChannel"[],
    "emailRecipients" TEXT[],
    "telegramChatId" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastFiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsAlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdsAlertRule_organizationId_kind_idx" ON "AdsAlertRule"("organizationId", "kind");

-- AddForeignKey
ALTER TABLE "AdsAlertRule" ADD CONSTRAINT "AdsAlertRule_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
