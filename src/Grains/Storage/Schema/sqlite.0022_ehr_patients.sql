-- Patients as an EHR knows them (issue 21):
--   clinics.mrn_system: the identifier system (a URI) under which the clinic's EHR sends its medical record numbers;
--                       a FHIR Patient.identifier with that system is the patient's MRN at this clinic.
--   patient_external_ids: the EHR's logical id of each patient it sent, so its references (Patient/{its id}) resolve.
ALTER TABLE clinics ADD COLUMN mrn_system TEXT NULL;

CREATE TABLE IF NOT EXISTS patient_external_ids
(
    clinic_id     TEXT    NOT NULL,
    external_id   TEXT    NOT NULL,
    patient_id    TEXT    NOT NULL,
    linked_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (clinic_id, external_id)
);

CREATE INDEX IF NOT EXISTS ix_patient_external_ids_patient ON patient_external_ids (clinic_id, patient_id);
