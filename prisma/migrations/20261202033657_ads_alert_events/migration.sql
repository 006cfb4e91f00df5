-- CreateTable
CREATE TABLE "AdsAlertEvent" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "ruleId" TEXT,
    "kind" "AdsAlertKind" NOT NULL,
    "message" TEXT NOT NULL,
    "advertiserId" TEXT,
    "breachKey" TEXT NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdsAlertEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdsAlertEvent_organizationId_firedAt_idx" ON "AdsAlertEvent"("organizationId", "firedAt");

-- CreateIndex
CREATE UNIQUE INDEX "AdsAlertEvent_ruleId_breachKey_key" ON "AdsAlertEvent"("ruleId", "breachKey");

-- AddForeignKey
ALTER TABLE "AdsAlertEvent" ADD CONSTRAINT "AdsAlertEvent_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAlertEvent" ADD CONSTRAINT "AdsAlertEvent_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AdsAlertRule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsAlertEvent" ADD CONSTRAINT "AdsAlertEvent_advertiserId_fkey" FOREIGN KEY ("advertiserId") REFERENCES "Advertiser"("id") ON DELETE SET NULL ON UPDATE CASCADE;
