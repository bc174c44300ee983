-- "Needs reply" is a column of the thread row: whether its last message waits for a person (the patient's, or only the
-- clinic's automatic after-hours reply answered it; MessageView.AwaitsReply), written with the message. The
-- sidebar's count and list read it from a partial index over the open threads that wait, instead of joining every open
-- thread of the clinic to its last message (docs/benchmarks.md, "Issue 23: lookups that walked a whole table").
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS last_waits INTEGER NOT NULL DEFAULT 0;

UPDATE conversations SET last_waits = 1
 WHERE EXISTS (SELECT 1 FROM messages m
                WHERE m.conversation_id = conversations.id AND m.seq = conversations.last_seq
                  AND (m.sender_kind = 1 OR m.sender_id = 'clinic:after-hours'));

CREATE INDEX IF NOT EXISTS ix_conversations_needs_reply
    ON conversations (clinic_id, last_waits, archived, last_activity_ms DESC, id DESC) WHERE last_waits = 1 AND archived = 0 AND status <> 2;
