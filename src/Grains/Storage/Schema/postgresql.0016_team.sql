-- Issue 22: thread status and assignee, and the lines only staff see (see sqlite.0024_team.sql).
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS status INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS assignee_id TEXT NULL;

CREATE INDEX IF NOT EXISTS ix_conversations_assignee ON conversations (assignee_id, last_activity_ms DESC, id DESC) WHERE assignee_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS staff_items
(
    conversation_id TEXT    NOT NULL,
    item_seq        BIGINT  NOT NULL,
    after_seq       BIGINT  NOT NULL,
    kind            INTEGER NOT NULL,
    actor_id        TEXT    NOT NULL,
    actor_name      TEXT    NOT NULL,
    at_ms           BIGINT  NOT NULL,
    change_json     TEXT    NULL,
    text            TEXT    NULL,
    client_id       TEXT    NULL,
    mentions_json   TEXT    NULL,
    CONSTRAINT staff_items_pkey PRIMARY KEY (conversation_id, item_seq)
);

CREATE INDEX IF NOT EXISTS ix_staff_items_after ON staff_items (conversation_id, after_seq);
-- A retried note (same writer, same client id) is stored once.
CREATE UNIQUE INDEX IF NOT EXISTS ux_staff_items_client_id ON staff_items (conversation_id, actor_id, client_id) WHERE client_id IS NOT NULL;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'staff_items_append_only') THEN
        CREATE TRIGGER staff_items_append_only BEFORE UPDATE OR DELETE ON staff_items FOR EACH ROW EXECUTE FUNCTION clinicchat_refuse_change();
    END IF;
END;
$$;

-- Recall (see sqlite.0024_team.sql).
CREATE TABLE IF NOT EXISTS withdrawn_messages
(
    conversation_id TEXT   NOT NULL,
    seq             BIGINT NOT NULL,
    withdrawn_by    TEXT   NOT NULL,
    at_ms           BIGINT NOT NULL,
    CONSTRAINT withdrawn_messages_pkey PRIMARY KEY (conversation_id, seq)
);

ALTER TABLE attachments ADD COLUMN IF NOT EXISTS withdrawn INTEGER NOT NULL DEFAULT 0;
