-- Lookups that walked a whole table, found by EXPLAIN QUERY PLAN on databases of 9,000 patients and 20,000 threads
-- (docs/benchmarks.md, "Issue 23: lookups that walked a whole table"). clinic_patients' key is (clinic_id, patient_id):
-- reading a patient's clinics (a patient profile's activation, registering a patient, a name or mobile change) walked
-- every patient of every clinic, which made seeding 9,000 patients take minutes. The clinic's directory in name order
-- already has its index (SQLite's secondary indexes end with the table's key).
CREATE INDEX IF NOT EXISTS ix_clinic_patients_patient ON clinic_patients (patient_id);

-- Which patient a portal account is (an inbound STOP or START text finds the account by its mobile number first).
CREATE INDEX IF NOT EXISTS ix_patients_portal_user ON patients (portal_user_id) WHERE portal_user_id IS NOT NULL;

-- "Mine": the reader's assigned threads at one clinic, newest first. The index by assignee alone lost to the clinic's
-- (two equalities against one), so the list walked the clinic's every open thread to find the reader's.
CREATE INDEX IF NOT EXISTS ix_conversations_assignee_clinic
    ON conversations (assignee_id, clinic_id, archived, last_activity_ms DESC, id DESC) WHERE assignee_id IS NOT NULL;
DROP INDEX IF EXISTS ix_conversations_assignee;
