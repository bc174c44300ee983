-- "Waiting on patient" says the clinic has done its part: such a thread no longer needs a reply (its response clock
-- already stopped), until the patient writes again, which reopens it. The partial index behind "Needs reply" now covers
-- open threads only; its terms stay exactly those of ThreadIndexStore.NeedsReplyCondition.
DROP INDEX IF EXISTS ix_conversations_needs_reply;

CREATE INDEX IF NOT EXISTS ix_conversations_needs_reply
    ON conversations (clinic_id, last_waits, archived, last_activity_ms DESC, id DESC) WHERE last_waits = 1 AND archived = 0 AND status = 0;
