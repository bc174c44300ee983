-- Clinics created by an operator and one-time invitations (see sqlite.0015_onboarding.sql).
ALTER TABLE clinics ADD COLUMN IF NOT EXISTS time_zone TEXT NULL;
ALTER TABLE clinics ADD COLUMN IF NOT EXISTS created_at_ms BIGINT NULL;
ALTER TABLE clinics ADD COLUMN IF NOT EXISTS disabled_at_ms BIGINT NULL;

CREATE TABLE IF NOT EXISTS invitations
(
    id            TEXT   NOT NULL PRIMARY KEY,
    clinic_id     TEXT   NULL,
    email         TEXT   NOT NULL,
    display_name  TEXT   NOT NULL,
    role          TEXT   NOT NULL,
    token_hash    TEXT   NOT NULL,
    invited_by    TEXT   NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms    BIGINT NULL,
    used_by       TEXT   NULL,
    revoked_at_ms BIGINT NULL
);

CREATE INDEX IF NOT EXISTS ix_invitations_clinic ON invitations (clinic_id, created_at_ms);
