-- CreateEnum
CREATE TYPE "AdsConnectionStatus" AS ENUM ('ACTIVE', 'RECONNECT_NEEDED', 'ERROR', 'DISCONNECTED');

-- CreateTable
CREATE TABLE "AdsConnectState" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "stateHash" TEXT NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdsConnectState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdsConnection" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "accessTokenCiphertext" BYTEA,
    "tokenKeyId" TEXT,
    "scopes" INTEGER[],
    "status" "AdsConnectionStatus" NOT NULL DEFAULT 'ACTIVE',
    "lastSuccessAt" TIMESTAMP(3),
    "lastErrorAt" TIMESTAMP(3),
    "lastErrorCode" TEXT,
    "lastErrorMessage" TEXT,
    "lastErrorRequestId" TEXT,
    "lastInventorySyncAt" TIMESTAMP(3),
    "connectedById" TEXT,
    "disconnectedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Advertiser" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "platformAdvertiserId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "status" TEXT,
    "currency" TEXT,
    "timezone" TEXT,
    "businessCenterPlatformId" TEXT,
    "deletedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Advertiser_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AdsConnectState_stateHash_key" ON "AdsConnectState"("stateHash");

-- CreateIndex
CREATE INDEX "AdsConnectState_expiresAt_idx" ON "AdsConnectState"("expiresAt");

-- CreateIndex
CREATE INDEX "AdsConnection_organizationId_idx" ON "AdsConnection"("organizationId");

-- CreateIndex
CREATE INDEX "AdsConnection_tokenKeyId_idx" ON "AdsConnection"("tokenKeyId");

-- CreateIndex
CREATE INDEX "Advertiser_organizationId_idx" ON "Advertiser"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Advertiser_connectionId_platformAdvertiserId_key" ON "Advertiser"("connectionId", "platformAdvertiserId");

-- AddForeignKey
ALTER TABLE "AdsConnectState" ADD CONSTRAINT "AdsConnectState_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsConnectState" ADD CONSTRAINT "AdsConnectState_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsConnection" ADD CONSTRAINT "AdsConnection_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsConnection" ADD CONSTRAINT "AdsConnection_connectedById_fkey" FOREIGN KEY ("connectedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Advertiser" ADD CONSTRAINT "Advertiser_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Advertiser" ADD CONSTRAINT "Advertiser_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "AdsConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
