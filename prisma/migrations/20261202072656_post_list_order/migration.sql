-- CreateIndex
CREATE INDEX "Post_organizationId_createdAt_id_idx" ON "Post"("organizationId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Post_organizationId_scheduledAt_id_idx" ON "Post"("organizationId", "scheduledAt", "id");
