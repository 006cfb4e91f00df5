-- CreateEnum
CREATE TYPE "ContactKind" AS ENUM ('TELEGRAM', 'PHONE', 'EMAIL');

-- CreateEnum
CREATE TYPE "ContactStatus" AS ENUM ('NEW', 'ANSWERED', 'SPAM');

-- AlterTable
ALTER TABLE "OrganizationSettings" ADD COLUMN     "contactRetentionDays" INTEGER NOT NULL DEFAULT 365;

-- CreateTable
CREATE TABLE "ContactSubmission" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contact" TEXT NOT NULL,
    "contactKind" "ContactKind" NOT NULL,
    "category" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "userAgent" TEXT NOT NULL,
    "honeypot" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactSubmissionState" (
    "submissionId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "status" "ContactStatus" NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContactSubmissionState_pkey" PRIMARY KEY ("submissionId")
);

-- CreateIndex
CREATE INDEX "ContactSubmission_organizationId_createdAt_idx" ON "ContactSubmission"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "ContactSubmissionState_organizationId_status_idx" ON "ContactSubmissionState"("organizationId", "status");

-- AddForeignKey
ALTER TABLE "ContactSubmission" ADD CONSTRAINT "ContactSubmission_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactSubmissionState" ADD CONSTRAINT "ContactSubmissionState_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "ContactSubmission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand: submissions are append-only. Only a transaction that has set
-- pressroom.contact_erasure (the retention purge, an organization's deletion) may delete rows,
-- and nothing may change one.
CREATE FUNCTION "contact_submission_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('pressroom.contact_erasure', true) = 'on' THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'TRUNCATE' AND current_setting('pressroom.contact_erasure', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'ContactSubmission is append-only: % is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
      HINT = 'Retention and erasure delete within a transaction that set pressroom.contact_erasure.';
END
$$;

CREATE TRIGGER "ContactSubmission_append_only_rows"
  BEFORE UPDATE OR DELETE ON "ContactSubmission"
  FOR EACH ROW EXECUTE FUNCTION "contact_submission_append_only"();

CREATE TRIGGER "ContactSubmission_append_only_truncate"
  BEFORE TRUNCATE ON "ContactSubmission"
  FOR EACH STATEMENT EXECUTE FUNCTION "contact_submission_append_only"();
