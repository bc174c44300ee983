-- Patients as an EHR knows them (see sqlite.0022_ehr_patients.sql).
ALTER TABLE clinics ADD COLUMN IF NOT EXISTS mrn_system TEXT NULL;

CREATE TABLE IF NOT EXISTS patient_external_ids
(
    clinic_id     TEXT   NOT NULL,
    external_id   TEXT   NOT NULL,
    patient_id    TEXT   NOT NULL,
    linked_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (clinic_id, external_id)
);

CREATE INDEX IF NOT EXISTS ix_patient_external_ids_patient ON patient_external_ids (clinic_id, patient_id);
