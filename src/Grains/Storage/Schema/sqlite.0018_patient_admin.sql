-- Patients added and edited by staff (issue 20): a structured name, the date of birth that tells two people with one
-- name apart (and proves identity at portal activation), a preferred language, and the staff-recorded consent to SMS.
-- display_name and sort_name stay the directory's names (derived from the structured name on every save).
ALTER TABLE patients ADD COLUMN given_name TEXT NULL;
ALTER TABLE patients ADD COLUMN family_name TEXT NULL;
-- ISO 8601 calendar date (yyyy-MM-dd): no time, no zone.
ALTER TABLE patients ADD COLUMN birth_date TEXT NULL;
-- BCP 47 tag (en, es-MX).
ALTER TABLE patients ADD COLUMN preferred_language TEXT NULL;
ALTER TABLE patients ADD COLUMN sms_consent_at_ms INTEGER NULL;
ALTER TABLE patients ADD COLUMN sms_consent_by TEXT NULL;

CREATE INDEX IF NOT EXISTS ix_patients_birth_date ON patients (birth_date);

-- A clinic's own medical record number for the patient: unique within the clinic.
ALTER TABLE clinic_patients ADD COLUMN mrn TEXT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_clinic_patients_mrn ON clinic_patients (clinic_id, mrn) WHERE mrn IS NOT NULL;

-- Portal invitations are invitations too (role 'Patient'): for a patient, sent on a channel (NoticeChannel: 1 email,
-- 2 SMS) to an address, proved at activation by the date of birth; three wrong dates lock the link.
ALTER TABLE invitations ADD COLUMN patient_id TEXT NULL;
ALTER TABLE invitations ADD COLUMN channel INTEGER NULL;
ALTER TABLE invitations ADD COLUMN sent_at_ms INTEGER NULL;
ALTER TABLE invitations ADD COLUMN failed_checks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invitations ADD COLUMN locked_at_ms INTEGER NULL;

CREATE INDEX IF NOT EXISTS ix_invitations_patient ON invitations (patient_id, created_at_ms);
