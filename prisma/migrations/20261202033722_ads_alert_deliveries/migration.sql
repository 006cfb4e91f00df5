-- CreateEnum
CREATE TYPE "AdsAlertDeliveryStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED', 'UNKNOWN');

-- CreateTable
CREATE TABLE "AdsAlertDelivery" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "target" TEXT NOT NULL,
    "status" "AdsAlertDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "providerReference" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsAlertDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AdsAlertDelivery_eventId_channel_target_key" ON "AdsAlertDelivery"("eventId", "channel", "target");

-- AddForeignKey
ALTER TABLE "AdsAlertDelivery" ADD CONSTRAINT "AdsAlertDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AdsAlertEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
