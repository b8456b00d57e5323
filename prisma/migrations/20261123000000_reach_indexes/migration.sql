-- CreateIndex
CREATE INDEX "Affiliation_schoolYear_schoolId_personId_idx" ON "Affiliation"("schoolYear", "schoolId", "personId");

-- CreateIndex
CREATE INDEX "Certification_personId_programId_issuedOn_expiresOn_idx" ON "Certification"("personId", "programId", "issuedOn", "expiresOn");

-- CreateIndex
CREATE INDEX "Certification_programId_issuedOn_personId_idx" ON "Certification"("programId", "issuedOn", "personId");

