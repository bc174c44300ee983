-- Lookups Identity's own indexes do not serve (IdentityDb.OnModelCreating); EF Core's own script for the two indexes.
-- Claims by type and value: a clinic's staff are found by their membership claims, which without it meant reading every
-- claim of every account, patients' included. Accounts by mobile number: an inbound STOP or START text.
CREATE INDEX "IX_AspNetUserClaims_ClaimType_ClaimValue" ON "AspNetUserClaims" ("ClaimType", "ClaimValue");

CREATE INDEX "IX_AspNetUsers_PhoneNumber" ON "AspNetUsers" ("PhoneNumber");
