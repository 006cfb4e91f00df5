-- CreateEnum
CREATE TYPE "AdsFactLevel" AS ENUM ('ADVERTISER', 'CAMPAIGN', 'ADGROUP', 'AD');

-- AlterTable
ALTER TABLE "Advertiser" ADD COLUMN     "factsFrom" DATE,
ADD COLUMN     "factsThrough" DATE,
ADD COLUMN     "lastFactsSyncAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AdsDailyFact" (
    "objectId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "level" "AdsFactLevel" NOT NULL,
    "organizationId" TEXT NOT NULL,
    "advertiserId" TEXT NOT NULL,
    "campaignId" TEXT,
    "adGroupId" TEXT,
    "spendCents" BIGINT NOT NULL,
    "impressions" BIGINT NOT NULL,
    "clicks" BIGINT NOT NULL,
    "reach" BIGINT NOT NULL,
    "conversions" BIGINT NOT NULL,
    "videoPlays" BIGINT NOT NULL,
    "videoViewsP25" BIGINT NOT NULL,
    "videoViewsP50" BIGINT NOT NULL,
    "videoViewsP75" BIGINT NOT NULL,
    "videoViewsP100" BIGINT NOT NULL,
    "likes" BIGINT NOT NULL,
    "comments" BIGINT NOT NULL,
    "shares" BIGINT NOT NULL,
    "follows" BIGINT NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsDailyFact_pkey" PRIMARY KEY ("objectId","day")
);

-- CreateIndex
CREATE INDEX "AdsDailyFact_advertiserId_level_day_idx" ON "AdsDailyFact"("advertiserId", "level", "day");

-- AddForeignKey
ALTER TABLE "AdsDailyFact" ADD CONSTRAINT "AdsDailyFact_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
