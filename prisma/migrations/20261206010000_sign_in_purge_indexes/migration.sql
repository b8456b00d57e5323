-- Sign-in purges old failures and expired sessions by age (docs/decisions/008-sign-in-throttling.md).
CREATE INDEX "AuthSession_expiresAt_idx" ON "AuthSession"("expiresAt");
CREATE INDEX "SignInFailure_createdAt_idx" ON "SignInFailure"("createdAt");
