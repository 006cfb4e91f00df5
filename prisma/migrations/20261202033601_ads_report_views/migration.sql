-- CreateTable
CREATE TABLE "AdsReportView" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "ownerId" TEXT,
    "name" TEXT NOT NULL,
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "report" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdsReportView_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdsReportView_organizationId_shared_idx" ON "AdsReportView"("organizationId", "shared");

-- CreateIndex
CREATE INDEX "AdsReportView_ownerId_idx" ON "AdsReportView"("ownerId");

-- AddForeignKey
ALTER TABLE "AdsReportView" ADD CONSTRAINT "AdsReportView_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdsReportView" ADD CONSTRAINT "AdsReportView_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
