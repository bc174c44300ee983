-- Issue 22: patients start conversations about a topic, and topics route threads (billing threads are shared with the
-- clinic's Billing staff). The thread's topic is a column of the thread index (0 none, 1 appointments, 2 billing,
-- 3 care team), so Billing's list filters on it; the clinic's offered topics are part of its profile, as wire names.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS topic INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clinic_profiles ADD COLUMN IF NOT EXISTS patient_topics TEXT NULL;

-- Billing staff list a clinic's billing threads, newest first.
CREATE INDEX IF NOT EXISTS ix_conversations_topic ON conversations (clinic_id, topic, last_activity_ms DESC, id DESC) WHERE topic <> 0;
