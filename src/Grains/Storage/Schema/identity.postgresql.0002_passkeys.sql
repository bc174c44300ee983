-- ASP.NET Core Identity schema version 3 (passkeys): EF Core's own create script for the new table, as generated from the model.
-- Versions 2 and 3 also bound some columns that version 1 left unbounded (SQLite has no lengths, so its script has no such
-- step). Nothing stored comes near the bounds: external logins and their tokens are unused, phone numbers are E.164.
ALTER TABLE "AspNetUserLogins" ALTER COLUMN "LoginProvider" TYPE character varying(128), ALTER COLUMN "ProviderKey" TYPE character varying(128);
ALTER TABLE "AspNetUserTokens" ALTER COLUMN "LoginProvider" TYPE character varying(128), ALTER COLUMN "Name" TYPE character varying(128);
ALTER TABLE "AspNetUsers" ALTER COLUMN "PhoneNumber" TYPE character varying(256);

CREATE TABLE "AspNetUserPasskeys" (
    "CredentialId" bytea NOT NULL,
    "UserId" text NOT NULL,
    "Data" jsonb NOT NULL,
    CONSTRAINT "PK_AspNetUserPasskeys" PRIMARY KEY ("CredentialId"),
    CONSTRAINT "FK_AspNetUserPasskeys_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE INDEX "IX_AspNetUserPasskeys_UserId" ON "AspNetUserPasskeys" ("UserId");
