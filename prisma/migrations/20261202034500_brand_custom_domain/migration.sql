-- AlterTable
ALTER TABLE "Brand" ADD COLUMN     "customDomain" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Brand_customDomain_key" ON "Brand"("customDomain");
