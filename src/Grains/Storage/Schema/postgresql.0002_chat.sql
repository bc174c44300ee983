-- ClinicChat's own tables on PostgreSQL (cluster mode): the same tables and columns as the SQLite
-- scripts 0003-0009, so one set of SQL statements serves both engines. Times are Unix milliseconds
-- (UTC); ids are GUID strings; flags and counters are BIGINT, which both engines read as 64-bit.

CREATE TABLE IF NOT EXISTS clinics
(
    id   TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS patients
(
    id             TEXT   NOT NULL PRIMARY KEY,
    display_name   TEXT   NOT NULL,
    sort_name      TEXT   NOT NULL,
    mobile_number  TEXT   NULL,
    email          TEXT   NULL,
    portal_user_id TEXT   NULL,
    chat_opt_in    BIGINT NOT NULL,
    updated_at_ms  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS clinic_patients
(
    clinic_id  TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    sort_name  TEXT NOT NULL,
    PRIMARY KEY (clinic_id, patient_id)
);

CREATE INDEX IF NOT EXISTS ix_clinic_patients_sort ON clinic_patients (clinic_id, sort_name);

-- Name search is a prefix range scan (token >= 'ann' AND token < upper bound): that needs byte order,
-- which the database's default (linguistic) collation does not give. "C" does.
CREATE TABLE IF NOT EXISTS patient_name_tokens
(
    clinic_id  TEXT             NOT NULL,
    token      TEXT COLLATE "C" NOT NULL,
    patient_id TEXT             NOT NULL,
    PRIMARY KEY (clinic_id, token, patient_id)
);

CREATE INDEX IF NOT EXISTS ix_patient_name_tokens_patient ON patient_name_tokens (patient_id);

CREATE TABLE IF NOT EXISTS conversations
(
    id               TEXT   NOT NULL PRIMARY KEY,
    clinic_id        TEXT   NOT NULL,
    patient_id       TEXT   NOT NULL,
    created_at_ms    BIGINT NOT NULL,
    last_activity_ms BIGINT NOT NULL,
    last_seq         BIGINT NOT NULL,
    archived         BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_conversations_clinic ON conversations (clinic_id, archived, last_activity_ms DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_conversations_patient ON conversations (patient_id, archived);

CREATE TABLE IF NOT EXISTS messages
(
    conversation_id   TEXT   NOT NULL,
    seq               BIGINT NOT NULL,
    client_message_id TEXT   NOT NULL,
    sender_id         TEXT   NOT NULL,
    sender_kind       BIGINT NOT NULL,
    sender_name       TEXT   NOT NULL,
    text              TEXT   NOT NULL,
    sent_at_ms        BIGINT NOT NULL,
    attachments_json  TEXT   NULL,
    cards_json        TEXT   NULL,
    CONSTRAINT messages_pkey PRIMARY KEY (conversation_id, seq)
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_messages_client_id ON messages (conversation_id, sender_id, client_message_id);
CREATE INDEX IF NOT EXISTS ix_messages_side ON messages (conversation_id, sender_kind, seq);

CREATE TABLE IF NOT EXISTS receipt_cursors
(
    conversation_id TEXT   NOT NULL,
    reader_id       TEXT   NOT NULL,
    read_seq        BIGINT NOT NULL,
    updated_at_ms   BIGINT NOT NULL,
    delivered_seq   BIGINT NOT NULL DEFAULT 0,
    reader_kind     BIGINT NOT NULL DEFAULT 0,
    reader_name     TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (conversation_id, reader_id)
);

CREATE TABLE IF NOT EXISTS receipt_events
(
    conversation_id TEXT   NOT NULL,
    kind            BIGINT NOT NULL, -- 0 delivered, 1 read
    up_to_seq       BIGINT NOT NULL,
    reader_id       TEXT   NOT NULL,
    at_ms           BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, kind, up_to_seq, reader_id)
);

CREATE TABLE IF NOT EXISTS audit_log
(
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chain           TEXT   NOT NULL,
    occurred_at_ms  BIGINT NOT NULL,
    action          TEXT   NOT NULL,
    actor_id        TEXT   NOT NULL,
    clinic_id       TEXT   NULL,
    patient_id      TEXT   NULL,
    conversation_id TEXT   NULL,
    outcome         TEXT   NOT NULL,
    detail          TEXT   NULL,
    prev_hash       TEXT   NOT NULL,
    hash            TEXT   NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_audit_log_chain ON audit_log (chain, id);

CREATE TABLE IF NOT EXISTS attachments
(
    id              TEXT   NOT NULL PRIMARY KEY,
    conversation_id TEXT   NOT NULL,
    uploader_id     TEXT   NOT NULL,
    content_type    TEXT   NOT NULL,
    extension       TEXT   NOT NULL,
    size_bytes      BIGINT NOT NULL,
    sha256          TEXT   NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    display_name    TEXT   NOT NULL DEFAULT ''
);

CREATE INDEX IF NOT EXISTS ix_attachments_conversation ON attachments (conversation_id);

CREATE TABLE IF NOT EXISTS artifacts
(
    id            TEXT   NOT NULL PRIMARY KEY,
    clinic_id     TEXT   NOT NULL,
    patient_id    TEXT   NOT NULL,
    kind          BIGINT NOT NULL,
    resource_id   TEXT   NOT NULL,
    version       BIGINT NOT NULL,
    snapshot_json TEXT   NOT NULL,
    sort_time_ms  BIGINT NULL,
    updated_at_ms BIGINT NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_artifacts_resource ON artifacts (clinic_id, kind, resource_id);
CREATE INDEX IF NOT EXISTS ix_artifacts_patient ON artifacts (clinic_id, patient_id, kind, sort_time_ms DESC);

CREATE TABLE IF NOT EXISTS artifact_versions
(
    artifact_id    TEXT   NOT NULL,
    version        BIGINT NOT NULL,
    snapshot_json  TEXT   NOT NULL,
    recorded_at_ms BIGINT NOT NULL,
    PRIMARY KEY (artifact_id, version)
);

-- Append-only tables refuse UPDATE and DELETE in the database itself, whoever connects.
CREATE OR REPLACE FUNCTION clinicchat_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['messages', 'audit_log', 'receipt_events', 'artifact_versions'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = t || '_append_only') THEN
            EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION clinicchat_refuse_change()', t || '_append_only', t);
        END IF;
    END LOOP;
END;
$$;

-- Attachment bytes in cluster mode: every web node must read what any other stored, so the blob
-- store is this table (content-addressed by SHA-256, written once, like the file store's files).
CREATE TABLE IF NOT EXISTS blobs
(
    sha256     TEXT   NOT NULL PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    content    BYTEA  NOT NULL
);

CREATE TABLE IF NOT EXISTS blob_previews
(
    sha256  TEXT  NOT NULL PRIMARY KEY,
    content BYTEA NOT NULL
);

-- ASP.NET Core Data Protection keys: every web node must decrypt every other node's cookies.
CREATE TABLE IF NOT EXISTS data_protection_keys
(
    name TEXT NOT NULL PRIMARY KEY,
    xml  TEXT NOT NULL
);
