-- Patient search read every patient whose name has a word in the searched range (2,000 of 50,000 for a common first
-- name), looked each one up for its sort name, and sorted them to keep 20. With the sort name in the name index's key,
-- a word's matches come from the index alone, in name order (PatientNameIndex; docs/benchmarks.md, "Issue 23: patient
-- search read every match"). SQLite cannot change a key in place: the table is copied.
CREATE TABLE patient_name_tokens_by_name
(
    clinic_id  TEXT NOT NULL,
    token      TEXT NOT NULL,
    sort_name  TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    PRIMARY KEY (clinic_id, token, sort_name, patient_id)
) WITHOUT ROWID;

INSERT INTO patient_name_tokens_by_name (clinic_id, token, sort_name, patient_id)
SELECT t.clinic_id, t.token, cp.sort_name, t.patient_id
  FROM patient_name_tokens t JOIN clinic_patients cp ON cp.clinic_id = t.clinic_id AND cp.patient_id = t.patient_id;

DROP TABLE patient_name_tokens;
ALTER TABLE patient_name_tokens_by_name RENAME TO patient_name_tokens;
CREATE INDEX IF NOT EXISTS ix_patient_name_tokens_patient ON patient_name_tokens (patient_id);
