-- Issue 22: a front desk works as a team. Where the clinic stands with each thread (staff only, never shown to the
-- patient): its status (0 open, 1 waiting on the patient, 2 closed) and the colleague it is assigned to.
ALTER TABLE conversations ADD COLUMN status INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN assignee_id TEXT NULL;

-- "Mine": one staff member's threads in recency order, without scanning the clinic's unassigned ones.
CREATE INDEX IF NOT EXISTS ix_conversations_assignee ON conversations (assignee_id, last_activity_ms DESC, id DESC) WHERE assignee_id IS NOT NULL;

-- Lines in a thread that only the clinic's staff see (assignment and status changes; notes). A table of their own, not
-- rows of `messages`: nothing that reads messages for a patient (pages, previews, unread counts, notices, exports) can
-- reach them. after_seq is the message they follow; item_seq orders them and is gapless per conversation.
CREATE TABLE IF NOT EXISTS staff_items
(
    conversation_id TEXT    NOT NULL,
    item_seq        INTEGER NOT NULL,
    after_seq       INTEGER NOT NULL,
    kind            INTEGER NOT NULL,
    actor_id        TEXT    NOT NULL,
    actor_name      TEXT    NOT NULL,
    at_ms           INTEGER NOT NULL,
    change_json     TEXT    NULL,
    text            TEXT    NULL,
    client_id       TEXT    NULL,
    mentions_json   TEXT    NULL,
    PRIMARY KEY (conversation_id, item_seq)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_staff_items_after ON staff_items (conversation_id, after_seq);
-- A retried note (same writer, same client id) is stored once.
CREATE UNIQUE INDEX IF NOT EXISTS ux_staff_items_client_id ON staff_items (conversation_id, actor_id, client_id) WHERE client_id IS NOT NULL;

CREATE TRIGGER IF NOT EXISTS staff_items_no_update BEFORE UPDATE ON staff_items
BEGIN SELECT RAISE(ABORT, 'staff_items are append-only'); END;
CREATE TRIGGER IF NOT EXISTS staff_items_no_delete BEFORE DELETE ON staff_items
BEGIN SELECT RAISE(ABORT, 'staff_items are append-only'); END;

-- Recall: a staff message withdrawn within minutes of sending, before the patient read it. The message row stays as
-- sent (append-only, and the audit log names it); this overlay says it is withdrawn, and its files stop being the
-- patient's to open.
CREATE TABLE IF NOT EXISTS withdrawn_messages
(
    conversation_id TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    withdrawn_by    TEXT    NOT NULL,
    at_ms           INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;

ALTER TABLE attachments ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
