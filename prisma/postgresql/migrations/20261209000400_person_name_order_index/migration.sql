-- CreateIndex
CREATE INDEX "Person_lastName_firstName_id_idx" ON "Person"("lastName", "firstName", "id");
