-- Patients added and edited by staff, and portal invitations (see sqlite.0018_patient_admin.sql).
ALTER TABLE patients ADD COLUMN IF NOT EXISTS given_name TEXT NULL;
ALTER TABLE patients ADD COLUMN IF NOT EXISTS family_name TEXT NULL;
ALTER TABLE patients ADD COLUMN IF NOT EXISTS birth_date TEXT NULL;
ALTER TABLE patients ADD COLUMN IF NOT EXISTS preferred_language TEXT NULL;
ALTER TABLE patients ADD COLUMN IF NOT EXISTS sms_consent_at_ms BIGINT NULL;
ALTER TABLE patients ADD COLUMN IF NOT EXISTS sms_consent_by TEXT NULL;

CREATE INDEX IF NOT EXISTS ix_patients_birth_date ON patients (birth_date);

ALTER TABLE clinic_patients ADD COLUMN IF NOT EXISTS mrn TEXT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_clinic_patients_mrn ON clinic_patients (clinic_id, mrn) WHERE mrn IS NOT NULL;

ALTER TABLE invitations ADD COLUMN IF NOT EXISTS patient_id TEXT NULL;
ALTER TABLE invitations ADD COLUMN IF NOT EXISTS channel INTEGER NULL;
ALTER TABLE invitations ADD COLUMN IF NOT EXISTS sent_at_ms BIGINT NULL;
ALTER TABLE invitations ADD COLUMN IF NOT EXISTS failed_checks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invitations ADD COLUMN IF NOT EXISTS locked_at_ms BIGINT NULL;

CREATE INDEX IF NOT EXISTS ix_invitations_patient ON invitations (patient_id, created_at_ms);
