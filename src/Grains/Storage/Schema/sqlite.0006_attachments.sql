-- Attachment metadata: the bytes live in the blob store under their SHA-256 (content-addressed,
-- never under a client-supplied name); grains hold only this row and the access rules.
CREATE TABLE IF NOT EXISTS attachments
(
    id              TEXT    NOT NULL PRIMARY KEY,
    conversation_id TEXT    NOT NULL,
    uploader_id     TEXT    NOT NULL,
    content_type    TEXT    NOT NULL,
    extension       TEXT    NOT NULL,
    size_bytes      INTEGER NOT NULL,
    sha256          TEXT    NOT NULL,
    created_at_ms   INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_attachments_conversation ON attachments (conversation_id);
