-- Patient search read every patient whose name has a word in the searched range (2,000 of 50,000 for a common first
-- name), looked each one up for its sort name, and sorted them to keep 20. With the sort name in the name index's key,
-- a word's matches come from the index alone, in name order (PatientNameIndex; docs/benchmarks.md, "Issue 23: patient
-- search read every match"). The sort name keeps the database's collation, as clinic_patients.sort_name has it, so
-- both orders agree.
ALTER TABLE patient_name_tokens ADD COLUMN IF NOT EXISTS sort_name TEXT;

UPDATE patient_name_tokens t SET sort_name = cp.sort_name
  FROM clinic_patients cp
 WHERE cp.clinic_id = t.clinic_id AND cp.patient_id = t.patient_id AND t.sort_name IS DISTINCT FROM cp.sort_name;

-- A word of a patient no longer at the clinic (none is expected: every write removes them with the link).
DELETE FROM patient_name_tokens WHERE sort_name IS NULL;

ALTER TABLE patient_name_tokens ALTER COLUMN sort_name SET NOT NULL;
ALTER TABLE patient_name_tokens DROP CONSTRAINT IF EXISTS patient_name_tokens_pkey;
ALTER TABLE patient_name_tokens ADD CONSTRAINT patient_name_tokens_pkey PRIMARY KEY (clinic_id, token, sort_name, patient_id);
