-- ClinicChat's own tables. Times are Unix milliseconds (UTC); ids are GUID strings.
CREATE TABLE IF NOT EXISTS clinics
(
    id   TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS patients
(
    id             TEXT    NOT NULL PRIMARY KEY,
    display_name   TEXT    NOT NULL,
    sort_name      TEXT    NOT NULL,
    mobile_number  TEXT    NULL,
    email          TEXT    NULL,
    portal_user_id TEXT    NULL,
    chat_opt_in    INTEGER NOT NULL,
    updated_at_ms  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS clinic_patients
(
    clinic_id  TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    sort_name  TEXT NOT NULL,
    PRIMARY KEY (clinic_id, patient_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_clinic_patients_sort ON clinic_patients (clinic_id, sort_name);

-- One row per word of a patient's name per clinic, normalised (lower case, no diacritics):
-- a prefix search is an index range scan whatever the directory size.
CREATE TABLE IF NOT EXISTS patient_name_tokens
(
    clinic_id  TEXT NOT NULL,
    token      TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    PRIMARY KEY (clinic_id, token, patient_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_patient_name_tokens_patient ON patient_name_tokens (patient_id);

-- The thread index: one row per conversation, kept current in the same transaction as each append.
CREATE TABLE IF NOT EXISTS conversations
(
    id               TEXT    NOT NULL PRIMARY KEY,
    clinic_id        TEXT    NOT NULL,
    patient_id       TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    last_activity_ms INTEGER NOT NULL,
    last_seq         INTEGER NOT NULL,
    archived         INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_conversations_clinic ON conversations (clinic_id, archived, last_activity_ms DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_conversations_patient ON conversations (patient_id, archived);

-- Append-only message log; seq is gapless per conversation and assigned by the conversation grain.
CREATE TABLE IF NOT EXISTS messages
(
    conversation_id   TEXT    NOT NULL,
    seq               INTEGER NOT NULL,
    client_message_id TEXT    NOT NULL,
    sender_id         TEXT    NOT NULL,
    sender_kind       INTEGER NOT NULL,
    sender_name       TEXT    NOT NULL,
    text              TEXT    NOT NULL,
    sent_at_ms        INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;

-- A retried send (same sender, same client id) can never be stored twice.
CREATE UNIQUE INDEX IF NOT EXISTS ux_messages_client_id ON messages (conversation_id, sender_id, client_message_id);

CREATE TRIGGER IF NOT EXISTS messages_no_update BEFORE UPDATE ON messages
BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END;
CREATE TRIGGER IF NOT EXISTS messages_no_delete BEFORE DELETE ON messages
BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END;

CREATE TABLE IF NOT EXISTS read_cursors
(
    conversation_id TEXT    NOT NULL,
    reader_id       TEXT    NOT NULL,
    read_seq        INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, reader_id)
) WITHOUT ROWID;

-- Tamper-evident audit log: each row's hash covers its content and the previous row's hash in the
-- same chain (one chain per clinic; chain '' holds events that belong to no clinic, like sign-ins).
CREATE TABLE IF NOT EXISTS audit_log
(
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    chain           TEXT    NOT NULL,
    occurred_at_ms  INTEGER NOT NULL,
    action          TEXT    NOT NULL,
    actor_id        TEXT    NOT NULL,
    clinic_id       TEXT    NULL,
    patient_id      TEXT    NULL,
    conversation_id TEXT    NULL,
    outcome         TEXT    NOT NULL,
    detail          TEXT    NULL,
    prev_hash       TEXT    NOT NULL,
    hash            TEXT    NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_audit_log_chain ON audit_log (chain, id);

CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
