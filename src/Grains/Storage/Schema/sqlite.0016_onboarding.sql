-- Clinics created by an operator (see src/Grains/Onboarding): a time zone, when created, and whether
-- disabled. A disabled clinic keeps every row; its staff can no longer sign in.
ALTER TABLE clinics ADD COLUMN time_zone TEXT NULL;
ALTER TABLE clinics ADD COLUMN created_at_ms INTEGER NULL;
ALTER TABLE clinics ADD COLUMN disabled_at_ms INTEGER NULL;

-- One-time links that let a person set a password and join a clinic with a role (or become an
-- operator: clinic_id NULL, role 'Operator'). Only a hash of the link's secret is stored.
CREATE TABLE IF NOT EXISTS invitations
(
    id            TEXT    NOT NULL PRIMARY KEY,
    clinic_id     TEXT    NULL,
    email         TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL,
    invited_by    TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms    INTEGER NULL,
    used_by       TEXT    NULL,
    revoked_at_ms INTEGER NULL
);

CREATE INDEX IF NOT EXISTS ix_invitations_clinic ON invitations (clinic_id, created_at_ms);
