-- CreateEnum
CREATE TYPE "AdsAssetKind" AS ENUM ('BUSINESS_CENTER', 'IDENTITY', 'PIXEL', 'CATALOG', 'AUDIENCE');

-- CreateTable
CREATE TABLE "AdsAsset" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "advertiserId" TEXT,
    "kind" "AdsAssetKind" NOT NULL,
    "platformId" TEXT NOT NULL,
    "parentPlatformId" TEXT,
    "name" TEXT NOT NULL DEFAULT '',
    "status" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsAsset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdsCampaign" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "advertiserId" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "objective" TEXT,
    "budgetMode" TEXT,
    "budget" DECIMAL(18,2),
    "operationStatus" TEXT NOT NULL,
    "secondaryStatus" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdsAdGroup" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "advertiserId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "budgetMode" TEXT,
    "budget" DECIMAL(18,2),
    "operationStatus" TEXT NOT NULL,
    "secondaryStatus" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsAdGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdsAd" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "advertiserId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "adGroupId" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "operationStatus" TEXT NOT NULL,
    "secondaryStatus" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsAd_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdsAsset_organizationId_idx" ON "AdsAsset"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "AdsAsset_connectionId_kind_platformId_key" ON "AdsAsset"("connectionId", "kind", "platformId");

-- CreateIndex
CREATE INDEX "AdsCampaign_organizationId_idx" ON "AdsCampaign"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "AdsCampaign_advertiserId_platformId_key" ON "AdsCampaign"("advertiserId", "platformId");

-- CreateIndex
CREATE INDEX "AdsAdGroup_campaignId_idx" ON "AdsAdGroup"("campaignId");

-- CreateIndex
CREATE INDEX "AdsAdGroup_organizationId_idx" ON "AdsAdGroup"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "AdsAdGroup_advertiserId_platformId_key" ON "AdsAdGroup"("advertiserId", "platformId");

-- CreateIndex
CREATE INDEX "AdsAd_adGroupId_idx" ON "AdsAd"("adGroupId");

-- CreateIndex
CREATE INDEX "AdsAd_organizationId_idx" ON "AdsAd"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "AdsAd_advertiserId_platformId_key" ON "AdsAd"("advertiserId", "platformId");

-- AddForeignKey
ALTER TABLE "AdsAsset" ADD CONSTRAINT "AdsAsset_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAsset" ADD CONSTRAINT "AdsAsset_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "AdsConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAsset" ADD CONSTRAINT "AdsAsset_advertiserId_fkey" FOREIGN KEY ("advertiserId") REFERENCES "Advertiser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsCampaign" ADD CONSTRAINT "AdsCampaign_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsCampaign" ADD CONSTRAINT "AdsCampaign_advertiserId_fkey" FOREIGN KEY ("advertiserId") REFERENCES "Advertiser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAdGroup" ADD CONSTRAINT "AdsAdGroup_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAdGroup" ADD CONSTRAINT "AdsAdGroup_advertiserId_fkey" FOREIGN KEY ("advertiserId") REFERENCES "Advertiser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAdGroup" ADD CONSTRAINT "AdsAdGroup_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "AdsCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAd" ADD CONSTRAINT "AdsAd_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAd" ADD CONSTRAINT "AdsAd_advertiserId_fkey" FOREIGN KEY ("advertiserId") REFERENCES "Advertiser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAd" ADD CONSTRAINT "AdsAd_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "AdsCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAd" ADD CONSTRAINT "AdsAd_adGroupId_fkey" FOREIGN KEY ("adGroupId") REFERENCES "AdsAdGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;
